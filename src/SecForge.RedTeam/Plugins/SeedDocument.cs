namespace SecForge.RedTeam.Plugins;

/// <summary>A retrieved document of a RAG scenario and the tenant it belongs to.</summary>
public sealed class SeedDocument
{
    public string Tenant { get; set; } = "";

    public string Text { get; set; } = "";
}
