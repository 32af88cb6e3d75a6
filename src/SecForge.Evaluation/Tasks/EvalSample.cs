namespace SecForge.Evaluation.Tasks;

/// <summary>One item of a benchmark: what is asked, the options if any, and the gold answer.</summary>
public sealed record EvalSample
{
    /// <summary>Stable within the task: the benchmark's own id, or the 1-based position in its file.</summary>
    public required string Id { get; init; }

    /// <summary>The question, description or text to analyse, without the benchmark's instructions.</summary>
    public required string Question { get; init; }

    /// <summary>Option texts in label order (A, B, C, ...), for multiple-choice kinds; an empty text is an option the item does not offer.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>
    /// The letters this item offers and accepts, when it offers fewer than its task (a three-option question of a
    /// four-option benchmark); null: the task's.
    /// </summary>
    public string? Labels { get; init; }

    /// <summary>
    /// The gold answer as the benchmark writes it: a letter or letters, a CWE id, a CVSS vector, technique ids,
    /// an actor name, a number, T/F/X or free text.
    /// </summary>
    public required string Target { get; init; }

    /// <summary>The benchmark's own full prompt for this item, where it ships one (CTIBench, SECURE).</summary>
    public string? NativePrompt { get; init; }

    /// <summary>Text the question is about (SEvenLLM's report excerpt), shown before the question.</summary>
    public string? Context { get; init; }

    /// <summary>A grouping the benchmark gives (SecBench domain, SecEval topic, SEvenLLM category).</summary>
    public string? Category { get; init; }

    /// <summary>The item's language where the benchmark mixes languages (SecBench).</summary>
    public string? Language { get; init; }

    /// <summary>Where the item was read from ("cti-mcq.tsv:3").</summary>
    public string? Source { get; init; }

    /// <summary>The letters this item accepts: its own, or <paramref name="taskLabels"/>.</summary>
    public string LabelsOr(string taskLabels) => Labels ?? taskLabels;

    /// <summary>
    /// The offered letters of four-or-so options whose empty texts are not offered ("ABC" when D is empty); null when
    /// every option has text. Throws when fewer than two are left.
    /// </summary>
    public static string? OfferedLabels(IReadOnlyList<string> choices, string labels)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(labels);
        if (choices.All(c => c.Length > 0))
        {
            return null;
        }

        var offered = new string(choices.Select((c, i) => (c, i)).Where(x => x.c.Length > 0 && x.i < labels.Length).Select(x => labels[x.i]).ToArray());
        return offered.Length >= 2 ? offered : throw new Core.Errors.InputException($"only {offered.Length} option(s) have text");
    }
}
