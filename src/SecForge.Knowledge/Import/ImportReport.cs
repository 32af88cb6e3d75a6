namespace SecForge.Knowledge.Import;

/// <summary>What the import of one file brought: its detected format and version, counts, and each failure with its place.</summary>
public sealed class ImportReport
{
    public required string File { get; init; }

    public string Format { get; set; } = "unknown";

    public string Version { get; set; } = string.Empty;

    public long Entities { get; set; }

    public long Relations { get; set; }

    public List<string> Failures { get; } = [];
}
