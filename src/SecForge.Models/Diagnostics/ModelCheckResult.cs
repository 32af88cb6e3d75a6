namespace SecForge.Models.Diagnostics;

/// <summary>What <see cref="ModelProbe"/> found out about a model.</summary>
public sealed record ModelCheckResult
{
    /// <summary>The model as the user named it.</summary>
    public required string Model { get; init; }

    /// <summary>"openai-compatible" or "gguf".</summary>
    public required string Backend { get; init; }

    /// <summary>The server URL or model file.</summary>
    public required string Endpoint { get; init; }

    /// <summary>True when the server answered (or the file loaded).</summary>
    public required bool Reachable { get; init; }

    /// <summary>Why it was not reachable.</summary>
    public string? Problem { get; init; }

    /// <summary>What the model's settings warn of (a GPU setting without a GPU backend).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One row per capability.</summary>
    public IReadOnlyList<CapabilityCheck> Capabilities { get; init; } = [];

    /// <summary>Time to a short chat reply, in milliseconds.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Generated tokens per second on a longer reply.</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>True when the model can answer at all (chat or raw completion works).</summary>
    public bool Usable => Reachable && Capabilities.Any(c => c.Name is "chat" or "raw completion" && c.Status == CapabilityStatus.Supported);
}

/// <summary>One capability's result.</summary>
public sealed record CapabilityCheck(string Name, CapabilityStatus Status, string Detail);

/// <summary>Whether a capability works.</summary>
public enum CapabilityStatus
{
    Supported,
    NotSupported,
    Failed,
}
