namespace SecForge.RedTeam.Running;

/// <summary>How often the target refused the benign defensive-security requests, with a 95% interval.</summary>
public sealed record OverRefusal
{
    public double? Rate { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    public int Prompts { get; init; }

    public int Refused { get; init; }

    public int Answered { get; init; }

    public int Ungraded { get; init; }
}
