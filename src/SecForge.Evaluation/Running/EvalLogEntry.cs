namespace SecForge.Evaluation.Running;

/// <summary>
/// One line of a run's log.jsonl: one item in one trial, with what was sent, what came back, what was read from
/// it and how it scored. Append-only; on resume, the last line of each (task, sample, trial) counts.
/// </summary>
public sealed record EvalLogEntry
{
    public required string Task { get; init; }

    public required string Sample { get; init; }

    public int Trial { get; init; }

    public required string Model { get; init; }

    public string? System { get; init; }

    /// <summary>The user message, or the raw prompt of a completion.</summary>
    public string? Prompt { get; init; }

    public bool Completion { get; init; }

    /// <summary>The strict extraction rule the prompt called for, so a log can be re-scored as it was.</summary>
    public string? Rule { get; init; }

    public string? Reply { get; init; }

    public required string Target { get; init; }

    public string? Strict { get; init; }

    public string? Flexible { get; init; }

    public IReadOnlyDictionary<string, double>? Values { get; init; }

    public bool Refusal { get; init; }

    public bool Ungraded { get; init; }

    /// <summary>Which rule or grader decided, and why.</summary>
    public string? Reason { get; init; }

    /// <summary>Why the item could not be evaluated (a model call that failed after its retries); null when it was.</summary>
    public string? Error { get; init; }

    /// <summary>Requests sent for this item (more than one when a malformed reply was re-asked).</summary>
    public int Attempts { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>Log-likelihood of each option letter (the log-likelihood method).</summary>
    public IReadOnlyDictionary<string, double>? OptionLogLikelihoods { get; init; }

    /// <summary>The (task, sample, trial) key.</summary>
    public string Key => KeyOf(Task, Sample, Trial);

    public static string KeyOf(string task, string sample, int trial) => $"{task}\u0001{sample}\u0001{trial}";
}
