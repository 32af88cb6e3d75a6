using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// A task metric computed from per-item values: a mean of one value (accuracy, deviation), or F1 over summed
/// true/false positives (micro F1).
/// </summary>
public sealed record TaskMetric(string Name, string Key, bool HigherIsBetter, bool MicroF1 = false)
{
    /// <summary>The metric over <paramref name="items"/> (each item's values).</summary>
    public double Compute(IReadOnlyList<IReadOnlyDictionary<string, double>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return double.NaN;
        }

        if (!MicroF1)
        {
            return items.Average(v => v.GetValueOrDefault(Key));
        }

        double tp = 0, fp = 0, fn = 0;
        foreach (var v in items)
        {
            tp += v.GetValueOrDefault("tp" + Key);
            fp += v.GetValueOrDefault("fp" + Key);
            fn += v.GetValueOrDefault("fn" + Key);
        }

        return tp == 0 ? 0 : 2 * tp / ((2 * tp) + fp + fn);
    }

    /// <summary>Accuracy from the options' log-likelihoods normalised by their length in bytes (lm-evaluation-harness's acc_norm).</summary>
    public const string NormalisedAccuracy = "accuracy_norm";

    /// <summary>The metrics reported for a kind of answer, headline first.</summary>
    public static IReadOnlyList<TaskMetric> For(AnswerKind kind) => kind switch
    {
        AnswerKind.CvssVector => [new("mad", "mad", false), new("mad_flexible", "mad_flexible", false)],
        AnswerKind.AttackTechniques => [new("f1_micro", "", true, MicroF1: true), new("f1_macro", "f1", true), new("f1_micro_flexible", "_flexible", true, MicroF1: true), new("f1_macro_flexible", "f1_flexible", true)],
        AnswerKind.ThreatActor => [new("correct", "correct", true), new("plausible", "plausible", true), new("correct_flexible", "correct_flexible", true), new("plausible_flexible", "plausible_flexible", true)],
        AnswerKind.Number => [new("accuracy", "accuracy", true), new("accuracy_flexible", "accuracy_flexible", true), new("mad", "mad", false)],
        AnswerKind.Judge => [new("accuracy", "accuracy", true)],
        _ => [new("accuracy", "accuracy", true), new("accuracy_flexible", "accuracy_flexible", true)],
    };
}
