using SecForge.Core.Taxonomy;
using SecForge.RedTeam.Strategies;
using SecForge.RedTeam.Taxonomy;

namespace SecForge.RedTeam.Plugins;

/// <summary>What attack set to write.</summary>
public sealed record GenerateOptions
{
    /// <summary>OWASP categories to cover.</summary>
    public required IReadOnlyList<OwaspEntry> Owasp { get; init; }

    /// <summary>Cyber-harm categories to cover.</summary>
    public IReadOnlyList<CyberHarm> Harms { get; init; } = [];

    /// <summary>Include the benign defensive set (over-refusal).</summary>
    public bool Benign { get; init; } = true;

    public IReadOnlyList<AttackStrategy> Strategies { get; init; } = [new PlainStrategy()];

    public int Seed { get; init; } = 1;

    /// <summary>At most this many seed intents per plugin or harm category (the first ones), for quick runs.</summary>
    public int? Limit { get; init; }

    /// <summary>The target application's purpose, for attacker-model expansion.</summary>
    public string? Purpose { get; init; }

    /// <summary>Extra variants per intent written by the attacker model (0: none).</summary>
    public int Expand { get; init; }
}
