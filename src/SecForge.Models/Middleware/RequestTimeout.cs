namespace SecForge.Models.Middleware;

/// <summary>Runs a call under a per-request time limit; when the limit (not the caller) cancels it, throws <see cref="TimeoutException"/>.</summary>
public static class RequestTimeout
{
    /// <summary>Runs <paramref name="call"/> and cancels it after <paramref name="timeout"/>.</summary>
    public static async Task<T> RunAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> call, ModelUsage? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await call(limit.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested && exception is OperationCanceledException or IOException or HttpRequestException)
        {
            usage?.RecordTimeout();
            throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.###} s", exception);
        }
    }
}
