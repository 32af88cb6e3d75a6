namespace SecForge.RedTeam.Taxonomy;

/// <summary>One OWASP LLM Top 10 entry and its counterparts in the 2023 v1.1 and 2026 editions.</summary>
public sealed class OwaspEntry
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The entry's counterparts in the 2023 (v1.1) list.</summary>
    public List<string> V2023 { get; set; } = [];

    /// <summary>The entry's counterparts in the 2026 list.</summary>
    public List<string> V2026 { get; set; } = [];

    /// <summary>"LLM01 Prompt Injection".</summary>
    public string Label => $"{Id} {Name}";
}
