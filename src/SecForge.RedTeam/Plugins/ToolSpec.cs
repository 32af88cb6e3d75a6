namespace SecForge.RedTeam.Plugins;

/// <summary>A tool declared to the target in an excessive-agency scenario: its name, what it does and its parameters (name → JSON type).</summary>
public sealed class ToolSpec
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
}
