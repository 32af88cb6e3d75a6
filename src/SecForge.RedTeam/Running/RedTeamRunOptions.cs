using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Running;

/// <summary>What to run: the attacks, where the run lives, and its limits.</summary>
public sealed record RedTeamRunOptions
{
    public required IReadOnlyList<Attack> Attacks { get; init; }

    public required string OutputDirectory { get; init; }

    public int Concurrency { get; init; } = 8;

    /// <summary>Longest reply; unbounded-consumption attacks are judged against it.</summary>
    public int MaxOutputTokens { get; init; } = 1024;

    /// <summary>Turns an attacker model writes in a live crescendo.</summary>
    public int CrescendoTurns { get; init; } = 4;

    /// <summary>Refinement rounds of PAIR.</summary>
    public int PairRounds { get; init; } = 3;

    public int Seed { get; init; } = 1;
}
