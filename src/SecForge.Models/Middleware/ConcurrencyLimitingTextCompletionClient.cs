using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>Holds each raw completion to a slot of an <see cref="AdaptiveConcurrencyLimiter"/>.</summary>
public sealed class ConcurrencyLimitingTextCompletionClient(ITextCompletionClient innerClient, AdaptiveConcurrencyLimiter limiter)
    : DelegatingTextCompletionClient(innerClient)
{
    private readonly AdaptiveConcurrencyLimiter _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));

    /// <inheritdoc />
    public override Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => base.CompleteAsync(prompt, options, ct), cancellationToken);

    /// <inheritdoc />
    public override Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(ct => base.GetLogLikelihoodAsync(context, continuation, options, ct), cancellationToken);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            _limiter.OnSuccess();
            return result;
        }
        catch (Exception exception) when (TransientFailure.Classify(exception, cancellationToken).IsThrottle)
        {
            _limiter.OnThrottled();
            throw;
        }
    }
}
