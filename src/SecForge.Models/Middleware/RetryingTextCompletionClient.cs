using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>Retries transient failures of raw completions under a <see cref="ModelRetryPolicy"/>.</summary>
public sealed class RetryingTextCompletionClient(ITextCompletionClient innerClient, ModelRetryPolicy policy) : DelegatingTextCompletionClient(innerClient)
{
    private readonly ModelRetryPolicy _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <inheritdoc />
    public override Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        _policy.ExecuteAsync(ct => base.CompleteAsync(prompt, options, ct), cancellationToken);

    /// <inheritdoc />
    public override Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        _policy.ExecuteAsync(ct => base.GetLogLikelihoodAsync(context, continuation, options, ct), cancellationToken);
}
