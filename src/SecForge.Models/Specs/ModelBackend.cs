namespace SecForge.Models.Specs;

/// <summary>Where a model runs.</summary>
public enum ModelBackend
{
    /// <summary>Any server speaking the OpenAI API: vLLM, Ollama, llama.cpp server, LM Studio, TGI, OpenAI.</summary>
    OpenAICompatible,

    /// <summary>A GGUF file run in this process by llama.cpp (LLamaSharp).</summary>
    Gguf,

    /// <summary>A client the caller supplies in code (<see cref="ModelFactory.Connect(string, Microsoft.Extensions.AI.IChatClient, Completions.ITextCompletionClient?, ModelRuntimeOptions?)"/>).</summary>
    InProcess,
}
