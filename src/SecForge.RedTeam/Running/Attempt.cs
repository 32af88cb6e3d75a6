using SecForge.Core.Taxonomy;
using SecForge.RedTeam.Graders;

namespace SecForge.RedTeam.Running;

/// <summary>
/// One attack against the target, as a line of attempts.jsonl: the attack's identity, the conversation, every
/// grader's verdict and the one that decided.
/// </summary>
public sealed record Attempt
{
    public required string AttackId { get; init; }

    /// <summary>A hash of the attack as sent, so a changed attack with the same id is attempted again.</summary>
    public string? AttackHash { get; init; }

    /// <summary>The journal key: the attack and its content.</summary>
    public string Key => $"{AttackId}\u0001{AttackHash}";

    public required string Taxonomy { get; init; }

    public required IReadOnlyList<string> Owasp { get; init; }

    public required string Plugin { get; init; }

    public CyberHarm? Harm { get; init; }

    public required string Strategy { get; init; }

    public required string Category { get; init; }

    public bool Benign { get; init; }

    public required string Target { get; init; }

    public IReadOnlyList<TranscriptTurn> Transcript { get; init; } = [];

    /// <summary>Safe, unsafe or ungraded (for benign requests: unsafe = refused, over-refusal).</summary>
    public required AttemptVerdict Verdict { get; init; }

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
