namespace SecForge.RedTeam.Strategies;

/// <summary>The strategies by name.</summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<AttackStrategy> All { get; } =
    [
        new PlainStrategy(), new Base64Strategy(), new Rot13Strategy(), new LeetspeakStrategy(), new HomoglyphStrategy(),
        new TranslationStrategy(), new RolePlayStrategy(), new RefusalSuppressionStrategy(), new PrefixInjectionStrategy(),
        new PayloadSplittingStrategy(), new ManyShotStrategy(), new CrescendoStrategy(), new PairStrategy(),
    ];

    /// <summary>"all", "static" or a comma-separated list; an unknown name is an input error naming it.</summary>
    public static IReadOnlyList<AttackStrategy> Select(string selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return selection.Trim().ToLowerInvariant() switch
        {
            "all" => All,
            "static" => All.Where(s => s.Dynamic is null).ToList(),
            _ => selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => All.FirstOrDefault(s => s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))
                    ?? throw new Core.Errors.InputException($"unknown strategy '{n}' ({string.Join(", ", All.Select(s => s.Name))}, all, static)", null, null, "--strategies"))
                .ToList(),
        };
    }
}
