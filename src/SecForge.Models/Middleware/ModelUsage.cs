using System.Diagnostics;

namespace SecForge.Models.Middleware;

/// <summary>
/// Counts what a model cost: logical requests, backend calls, retries, failures, cache hits, tokens and latency.
/// One instance is shared by every middleware layer of a model; thread-safe.
/// </summary>
public sealed class ModelUsage
{
    private long _requests;
    private long _calls;
    private long _retries;
    private long _failures;
    private long _cacheHits;
    private long _inputTokens;
    private long _outputTokens;
    private long _latencyTicks;
    private long _throttled;
    private long _timeouts;

    /// <summary>Requests the caller made that reached past the cache (each counted once, however many attempts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Attempts that reached the backend.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Attempts that were repeated after a transient failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests that failed for good.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Requests answered by the cache.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Prompt tokens of successful calls.</summary>
    public long InputTokens => Interlocked.Read(ref _inputTokens);

    /// <summary>Generated tokens of successful calls.</summary>
    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    /// <summary>Answers with HTTP 429.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Attempts stopped by the request timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Total time spent in backend calls.</summary>
    public TimeSpan CallLatency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    public void RecordRequest() => Interlocked.Increment(ref _requests);

    public void RecordRetry() => Interlocked.Increment(ref _retries);

    public void RecordFailure() => Interlocked.Increment(ref _failures);

    public void RecordCacheHit() => Interlocked.Increment(ref _cacheHits);

    public void RecordThrottled() => Interlocked.Increment(ref _throttled);

    public void RecordTimeout() => Interlocked.Increment(ref _timeouts);

    /// <summary>Records one backend call that took <paramref name="elapsedTicks"/> stopwatch ticks.</summary>
    public void RecordCall(long elapsedTicks, long? inputTokens, long? outputTokens)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _latencyTicks, (long)(elapsedTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        if (inputTokens is { } input)
        {
            Interlocked.Add(ref _inputTokens, input);
        }

        if (outputTokens is { } output)
        {
            Interlocked.Add(ref _outputTokens, output);
        }
    }

    /// <summary>A consistent-enough copy of the counters for reports.</summary>
    public ModelUsageSnapshot Snapshot() => new(
        Requests, Calls, Retries, Failures, CacheHits, Throttled, Timeouts, InputTokens, OutputTokens, CallLatency.TotalSeconds);
}

/// <summary>The counters of a <see cref="ModelUsage"/> at one moment, as written to results files.</summary>
public sealed record ModelUsageSnapshot(
    long Requests,
    long Calls,
    long Retries,
    long Failures,
    long CacheHits,
    long Throttled,
    long Timeouts,
    long InputTokens,
    long OutputTokens,
    double CallSeconds);
