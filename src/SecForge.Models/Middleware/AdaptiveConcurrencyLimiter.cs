namespace SecForge.Models.Middleware;

/// <summary>
/// Bounds the requests in flight to a model. Starts at the configured maximum, halves its limit when the server
/// throttles (HTTP 429) and adds one back per window of successes (additive increase, multiplicative decrease),
/// so a shared server is not hammered while throughput recovers on its own.
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private readonly long _decreaseQuietTicks;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<Lease>> _waiters = new();
    private readonly ModelUsage? _usage;
    private int _limit;
    private int _inFlight;
    private int _successesSinceChange;
    private long _lastDecrease;
    private long _lastChange;
    private double _busySlotTicks;

    /// <summary>A limiter of <paramref name="maxConcurrency"/>; <paramref name="time"/> is the clock of its windows (tests pass their own).</summary>
    public AdaptiveConcurrencyLimiter(int maxConcurrency, ModelUsage? usage = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        MaxConcurrency = maxConcurrency;
        _limit = maxConcurrency;
        _usage = usage;
        _time = time ?? TimeProvider.System;
        _decreaseQuietTicks = _time.TimestampFrequency / 2;
        _lastChange = _time.GetTimestamp();
        _lastDecrease = _lastChange - _decreaseQuietTicks;
    }

    /// <summary>The configured ceiling.</summary>
    public int MaxConcurrency { get; }

    /// <summary>The limit now in force (≤ <see cref="MaxConcurrency"/>).</summary>
    public int CurrentLimit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Requests holding a slot now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>The integral of requests in flight over time, in slot-seconds; divided by wall time and the limit it gives utilisation.</summary>
    public double BusySlotSeconds
    {
        get
        {
            lock (_lock)
            {
                Accumulate(_time.GetTimestamp());
                return _busySlotTicks / _time.TimestampFrequency;
            }
        }
    }

    /// <summary>Waits for a slot; dispose the lease to free it.</summary>
    public ValueTask<Lease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_inFlight < _limit && _waiters.Count == 0)
            {
                Accumulate(_time.GetTimestamp());
                _inFlight++;
                return ValueTask.FromResult(new Lease(this));
            }

            var waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
                _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return new ValueTask<Lease>(waiter.Task);
        }
    }

    /// <summary>Tells the limiter the server throttled; the limit halves (at most once per half second).</summary>
    public void OnThrottled()
    {
        _usage?.RecordThrottled();
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (now - _lastDecrease < _decreaseQuietTicks)
            {
                return;
            }

            _lastDecrease = now;
            _limit = Math.Max(1, _limit / 2);
            _successesSinceChange = 0;
        }
    }

    /// <summary>Tells the limiter a request succeeded; after a full window of successes the limit grows by one.</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            if (_limit >= MaxConcurrency)
            {
                return;
            }

            if (++_successesSinceChange >= _limit)
            {
                _limit++;
                _successesSinceChange = 0;
                GrantWaiters();
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            Accumulate(_time.GetTimestamp());
            _inFlight--;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_inFlight < _limit && _waiters.TryDequeue(out var waiter))
        {
            if (waiter.Task.IsCompleted)
            {
                continue;
            }

            Accumulate(_time.GetTimestamp());
            _inFlight++;
            if (!waiter.TrySetResult(new Lease(this)))
            {
                _inFlight--;
            }
        }
    }

    private void Accumulate(long now)
    {
        _busySlotTicks += _inFlight * (double)(now - _lastChange);
        _lastChange = now;
    }

    /// <summary>A held slot.</summary>
    public sealed class Lease : IDisposable
    {
        private AdaptiveConcurrencyLimiter? _owner;

        internal Lease(AdaptiveConcurrencyLimiter owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
