namespace SecForge.Models.Specs;

/// <summary>
/// A model as secforge.yaml names it: its spec plus request defaults and backend settings.
/// Property names map to snake_case YAML keys (<c>api_key_env</c>, <c>max_tokens</c>, …).
/// </summary>
public sealed class ModelDefinition
{
    /// <summary>The spec: openai:…, ollama:…, gguf:….</summary>
    public string? Spec { get; set; }

    /// <summary>The environment variable holding the API key; the key itself is never written anywhere.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Default sampling temperature.</summary>
    public float? Temperature { get; set; }

    /// <summary>Default most tokens to generate.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Default nucleus sampling mass.</summary>
    public float? TopP { get; set; }

    /// <summary>Default seed.</summary>
    public long? Seed { get; set; }

    /// <summary>GGUF: context size in tokens.</summary>
    public uint? ContextSize { get; set; }

    /// <summary>GGUF: CPU threads.</summary>
    public int? Threads { get; set; }

    /// <summary>GGUF: layers offloaded to a GPU.</summary>
    public int? GpuLayers { get; set; }

    /// <summary>GGUF: requests run at once.</summary>
    public int? Parallel { get; set; }

    /// <summary>GGUF: chat template override (a llama.cpp template name or text).</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Requests in flight at most (overrides the default).</summary>
    public int? Concurrency { get; set; }

    /// <summary>Per-request time limit in seconds (overrides the default).</summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>Attempts per request, the first included (overrides the default).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>A copy with <paramref name="spec"/>.</summary>
    public ModelDefinition WithSpec(string spec)
    {
        var copy = (ModelDefinition)MemberwiseClone();
        copy.Spec = spec;
        return copy;
    }
}
