namespace SecForge.Evaluation.Scoring;

/// <summary>
/// An item's score: per-metric values (accuracy 0/1, a deviation, true/false positives ...), the extracted
/// answers, and whether the reply was a refusal. <see cref="Ungraded"/> when only a judge could decide and none was given.
/// </summary>
public sealed record SampleScore
{
    public required IReadOnlyDictionary<string, double> Values { get; init; }

    public string? Strict { get; init; }

    public string? Flexible { get; init; }

    public bool Refusal { get; init; }

    public bool Ungraded { get; init; }

    /// <summary>Why: which rule or grader decided.</summary>
    public string? Reason { get; init; }
}
