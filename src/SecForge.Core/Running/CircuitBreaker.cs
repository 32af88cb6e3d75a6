namespace SecForge.Core.Running;

/// <summary>
/// Opens after <see cref="Threshold"/> consecutive failures of one kind (a dead endpoint's refused connections) with
/// no success between them, and stays open: once open, <see cref="ThrowIfOpen"/> fails at once and
/// <see cref="Opened"/> is cancelled, so waits between retries end too. Thread-safe.
/// </summary>
public sealed class CircuitBreaker : IDisposable
{
    private readonly CancellationTokenSource _opened = new();
    private readonly Lock _lock = new();
    private readonly string _endpoint;
    private int _consecutive;
    private string? _reason;

    public CircuitBreaker(string endpoint, int threshold = 5)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _endpoint = endpoint;
        Threshold = threshold;
    }

    /// <summary>Consecutive failures that open the breaker.</summary>
    public int Threshold { get; }

    /// <summary>True once the breaker opened.</summary>
    public bool IsOpen => _opened.IsCancellationRequested;

    /// <summary>Cancelled when the breaker opens.</summary>
    public CancellationToken Opened => _opened.Token;

    /// <summary>Failures in a row so far.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutive);

    /// <summary>A call got through: the count starts again.</summary>
    public void RecordSuccess()
    {
        lock (_lock)
        {
            if (!IsOpen)
            {
                _consecutive = 0;
            }
        }
    }

    /// <summary>A call failed in the way the breaker counts; returns true when this failure opened it.</summary>
    public bool RecordFailure(string reason)
    {
        lock (_lock)
        {
            if (IsOpen)
            {
                return false;
            }

            _reason = reason;
            if (++_consecutive < Threshold)
            {
                return false;
            }
        }

        _opened.Cancel();
        return true;
    }

    /// <summary>Opens the breaker at once (a failed preflight).</summary>
    public void Open(string reason)
    {
        lock (_lock)
        {
            _reason ??= reason;
        }

        _opened.Cancel();
    }

    /// <summary>Throws <see cref="EndpointUnreachableException"/> when the breaker is open.</summary>
    public void ThrowIfOpen()
    {
        if (IsOpen)
        {
            throw Exception();
        }
    }

    /// <summary>The exception an open breaker throws.</summary>
    public EndpointUnreachableException Exception()
    {
        lock (_lock)
        {
            var reason = _consecutive >= Threshold ? $"{_consecutive} connection attempts in a row failed ({_reason})" : _reason ?? "unreachable";
            return new EndpointUnreachableException(_endpoint, reason);
        }
    }

    public void Dispose() => _opened.Dispose();
}
