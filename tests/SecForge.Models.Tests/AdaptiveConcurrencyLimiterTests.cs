using SecForge.Models.Middleware;

namespace SecForge.Models.Tests;

public sealed class AdaptiveConcurrencyLimiterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NeverLetsMoreThanTheLimitRunAtOnce()
    {
        var limiter = new AdaptiveConcurrencyLimiter(4);
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource();
        var tasks = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var lease = await limiter.AcquireAsync(Token);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref running);
        }).ToList();

        while (Volatile.Read(ref running) < 4)
        {
            await Task.Yield();
        }

        Assert.Equal(4, limiter.InFlight);
        release.SetResult();
        await Task.WhenAll(tasks);
        Assert.Equal(4, peak);
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void Throttling_HalvesTheLimit_AndSuccessesWinItBack()
    {
        var clock = new ManualClock();
        var limiter = new AdaptiveConcurrencyLimiter(8, time: clock);
        limiter.OnThrottled();
        Assert.Equal(4, limiter.CurrentLimit);

        // A burst of 429s within half a second counts once; one after that halves again.
        clock.Advance(TimeSpan.FromMilliseconds(499));
        limiter.OnThrottled();
        Assert.Equal(4, limiter.CurrentLimit);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        limiter.OnThrottled();
        Assert.Equal(2, limiter.CurrentLimit);
        for (var i = 0; i < 2; i++)
        {
            limiter.OnSuccess();
        }

        Assert.Equal(3, limiter.CurrentLimit);
        for (var i = 0; i < 3; i++)
        {
            limiter.OnSuccess();
        }

        Assert.Equal(4, limiter.CurrentLimit);
        for (var i = 0; i < 4; i++)
        {
            limiter.OnSuccess();
        }

        Assert.Equal(5, limiter.CurrentLimit);
        for (var i = 0; i < 100; i++)
        {
            limiter.OnSuccess();
        }

        Assert.Equal(8, limiter.CurrentLimit);
    }

    [Fact]
    public async Task AWaiterThatIsCancelled_DoesNotTakeASlot()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        var held = await limiter.AcquireAsync(Token);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        held.Dispose();
        using var next = await limiter.AcquireAsync(Token);
        Assert.Equal(1, limiter.InFlight);
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
