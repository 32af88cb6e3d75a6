namespace SecForge.RedTeam.Plugins;

/// <summary>A plugin's seed file (Resources/seeds/*.yaml): its scenario and its project-written intents.</summary>
public sealed class PluginSeedFile
{
    public string Plugin { get; set; } = "";

    public List<string> Owasp { get; set; } = [];

    public List<string> Graders { get; set; } = [];

    public string? System { get; set; }

    /// <summary>A knowledge-base article template (poisoning): {topic}, {n} and {marker} are filled per intent.</summary>
    public string? Document { get; set; }

    /// <summary>Retrieved documents (RAG scenarios).</summary>
    public List<SeedDocument>? Documents { get; set; }

    public List<ToolSpec>? Tools { get; set; }

    public List<string>? AllowedTools { get; set; }

    public bool Benign { get; set; }

    /// <summary>Intents: plain strings, or maps (topic/question, sink/request, fabricated|known/question).</summary>
    public List<object> Intents { get; set; } = [];

    /// <summary>Cyber-harm: intents by harm category.</summary>
    public Dictionary<string, List<string>>? Categories { get; set; }
}
