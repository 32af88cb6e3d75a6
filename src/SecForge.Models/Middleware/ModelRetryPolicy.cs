using SecForge.Core.Running;

namespace SecForge.Models.Middleware;

/// <summary>
/// Runs a model call with bounded retries: jittered exponential backoff, honouring Retry-After, on throttling,
/// server errors, timeouts, dropped connections and garbled replies. When attempts run out, or the failure is
/// permanent, it throws <see cref="ModelCallException"/>, which runners record as a failed item. With a
/// <see cref="CircuitBreaker"/> shared by a connection's clients, failures to connect at all are counted across
/// requests: once the breaker opens, every call (and every wait between retries) ends with
/// <see cref="EndpointUnreachableException"/>, which ends the run instead of failing each item slowly.
/// </summary>
public sealed class ModelRetryPolicy
{
    private readonly RetryOptions _options;
    private readonly ModelUsage? _usage;
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private readonly CircuitBreaker? _breaker;

    public ModelRetryPolicy(RetryOptions? options = null, ModelUsage? usage = null, CircuitBreaker? breaker = null)
    {
        _breaker = breaker;
        _options = options ?? new RetryOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        _usage = usage;
        _jitter = _options.JitterSeed is { } seed ? new Random(seed) : Random.Shared;
    }

    /// <summary>Called after each failed attempt with the attempt number and the classification.</summary>
    public event Action<int, TransientFailure>? AttemptFailed;

    /// <summary>Runs <paramref name="call"/> until it succeeds, fails permanently or runs out of attempts.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        _usage?.RecordRequest();
        for (var attempt = 1; ; attempt++)
        {
            TransientFailure failure;
            Exception error;
            _breaker?.ThrowIfOpen();
            try
            {
                var result = await call(cancellationToken).ConfigureAwait(false);
                _breaker?.RecordSuccess();
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ModelCapabilityNotSupportedException)
            {
                throw;
            }
            catch (ModelCallException)
            {
                _usage?.RecordFailure();
                throw;
            }
            catch (Exception exception)
            {
                failure = TransientFailure.Classify(exception, cancellationToken);
                error = exception;
            }

            AttemptFailed?.Invoke(attempt, failure);
            if (_breaker is not null)
            {
                if (!failure.IsConnectionFailure)
                {
                    // The server answered (even with an error): it is there.
                    _breaker.RecordSuccess();
                }
                else if (_breaker.RecordFailure(failure.Reason) || _breaker.IsOpen)
                {
                    _usage?.RecordFailure();
                    throw _breaker.Exception();
                }
            }

            if (!failure.IsTransient || attempt >= _options.MaxAttempts)
            {
                _usage?.RecordFailure();
                var summary = failure.IsTransient
                    ? $"gave up after {attempt} attempts: {failure.Reason}"
                    : $"failed: {failure.Reason}";
                throw new ModelCallException(summary, error)
                {
                    Attempts = attempt,
                    StatusCode = failure.StatusCode,
                    Transient = failure.IsTransient,
                };
            }

            _usage?.RecordRetry();
            await WaitAsync(DelayFor(attempt, failure), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (_breaker is null)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _breaker.Opened);
        try
        {
            await Task.Delay(delay, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _breaker.IsOpen)
        {
            _usage?.RecordFailure();
            throw _breaker.Exception();
        }
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1.</summary>
    public TimeSpan DelayFor(int attempt, TransientFailure failure)
    {
        if (failure.RetryAfter is { } retryAfter)
        {
            return retryAfter <= _options.MaxRetryAfter ? retryAfter : _options.MaxRetryAfter;
        }

        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double fraction;
        lock (_jitterLock)
        {
            fraction = _jitter.NextDouble();
        }

        // "Equal jitter": half fixed, half random, so retries spread out but never fire immediately.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (fraction * ceiling / 2));
    }
}
