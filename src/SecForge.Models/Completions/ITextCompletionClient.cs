namespace SecForge.Models.Completions;

/// <summary>
/// Raw-prompt completion, the contract <see cref="Microsoft.Extensions.AI.IChatClient"/> lacks: base models,
/// few-shot prompts, log-probabilities of generated tokens and the log-likelihood of a continuation.
/// </summary>
public interface ITextCompletionClient : IDisposable
{
    /// <summary>Continues <paramref name="prompt"/> as-is (no chat template).</summary>
    Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The log-probability of <paramref name="continuation"/> following <paramref name="context"/>, summed over its tokens,
    /// and whether greedy decoding would have produced it. Throws <see cref="ModelCapabilityNotSupportedException"/>
    /// when the backend cannot score prompts.
    /// </summary>
    Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Asks for a service this client or one it wraps provides (metadata, usage meter, the inner client).</summary>
    object? GetService(Type serviceType, object? serviceKey = null);
}
