using SecForge.RedTeam.Graders;

namespace SecForge.RedTeam.Running;

/// <summary>
/// One attack against the target, as a line of attempts.jsonl: the attack's identity, the conversation, every
/// grader's verdict and the one that decided.
/// </summary>
public sealed record Attempt
{
    public required string AttackId { get; init; }

    public required string Taxonomy { get; init; }

    public required IReadOnlyList<string> Owasp { get; init; }

    public required string Plugin { get; init; }

    public string? Harm { get; init; }

    public required string Strategy { get; init; }

    public required string Category { get; init; }

    public bool Benign { get; init; }

    public required string Target { get; init; }

    public IReadOnlyList<TranscriptTurn> Transcript { get; init; } = [];

    /// <summary>"safe", "unsafe" or "ungraded" (for benign requests: unsafe = refused, over-refusal).</summary>
    public required string Verdict { get; init; }

    /// <summary>The grader whose verdict counts.</summary>
    public string? DecidedBy { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyList<GraderVerdict> Graders { get; init; } = [];

    /// <summary>Whether the refusal detector read the final reply as a refusal.</summary>
    public bool Refused { get; init; }

    /// <summary>Why the attack could not be sent (a model call that failed after its retries); null when it was.</summary>
    public string? Error { get; init; }

    public double LatencyMs { get; init; }
}
