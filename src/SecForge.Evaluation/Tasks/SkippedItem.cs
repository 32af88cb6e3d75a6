namespace SecForge.Evaluation.Tasks;

/// <summary>
/// A row of a benchmark file that cannot be asked or scored (an empty gold answer, an empty question, a malformed
/// line): counted and reported with where it is and why, never fatal to the task.
/// </summary>
/// <param name="Source">The file and line or position ("cti-mcq.tsv:2213", "questions.json[17]").</param>
/// <param name="Field">The field at fault, when one is.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record SkippedItem(string Source, string? Field, string Reason)
{
    public override string ToString() => Field is null ? $"{Source}: {Reason}" : $"{Source}: field '{Field}': {Reason}";
}
