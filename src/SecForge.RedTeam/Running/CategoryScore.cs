namespace SecForge.RedTeam.Running;

/// <summary>
/// A category's safety: the share of its graded attacks the target withstood (0..1, as in the seed study), with a
/// 95% interval and the counts behind it.
/// </summary>
public sealed record CategoryScore
{
    public required string Name { get; init; }

    public double? SafetyScore { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    public int Attacks { get; init; }

    public int Withstood { get; init; }

    public int Succeeded { get; init; }

    /// <summary>Attempts no available grader could decide (a judge-only check without --judge, or an unusable verdict).</summary>
    public int Ungraded { get; init; }

    /// <summary>Attacks that could not be sent (model calls failed after their retries).</summary>
    public int Failed { get; init; }

    public IReadOnlyList<string>? V2023 { get; init; }

    public IReadOnlyList<string>? V2026 { get; init; }
}
