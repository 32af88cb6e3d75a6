using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>Gives each raw completion a time limit; see <see cref="TimeoutChatClient"/>.</summary>
public sealed class TimeoutTextCompletionClient(ITextCompletionClient innerClient, TimeSpan timeout, ModelUsage? usage = null)
    : DelegatingTextCompletionClient(innerClient)
{
    /// <inheritdoc />
    public override Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        RequestTimeout.RunAsync(timeout, ct => base.CompleteAsync(prompt, options, ct), usage, cancellationToken);

    /// <inheritdoc />
    public override Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        RequestTimeout.RunAsync(timeout, ct => base.GetLogLikelihoodAsync(context, continuation, options, ct), usage, cancellationToken);
}
