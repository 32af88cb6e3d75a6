namespace SecForge.RedTeam.Running;

/// <summary>A strategy's attack success rate over the graded attacks delivered with it, with a 95% interval.</summary>
public sealed record StrategyScore
{
    public double? AttackSuccessRate { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    public int Attempts { get; init; }

    public int Succeeded { get; init; }

    public int Withstood { get; init; }

    public int Ungraded { get; init; }
}
