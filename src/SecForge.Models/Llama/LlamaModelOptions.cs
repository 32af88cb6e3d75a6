namespace SecForge.Models.Llama;

/// <summary>How an in-process GGUF model is loaded and run.</summary>
public sealed record LlamaModelOptions
{
    /// <summary>Context size in tokens; the model's own when unset (capped at 8,192 to bound memory).</summary>
    public uint? ContextSize { get; init; }

    /// <summary>CPU threads for generation; llama.cpp's default when unset.</summary>
    public int? Threads { get; init; }

    /// <summary>Default sampling seed, used when a request names none.</summary>
    public uint Seed { get; init; } = 42;

    /// <summary>Layers offloaded to a GPU (0 with the CPU backend).</summary>
    public int GpuLayerCount { get; init; }

    /// <summary>Requests run at once, each with its own context (and KV cache).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>
    /// A chat template to use instead of the model's own: a llama.cpp template name (<c>llama3</c>, <c>chatml</c>,
    /// <c>mistral-v7</c>, …) or a template text llama.cpp recognises.
    /// </summary>
    public string? ChatTemplate { get; init; }
}
