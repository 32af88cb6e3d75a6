using System.Collections.Concurrent;
using SecForge.Core.Progress;
using SecForge.Core.Running;

namespace SecForge.Core.Tests.Running;

public sealed class RunLoopTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class Collect : IProgress<ProgressUpdate>
    {
        public ConcurrentQueue<ProgressUpdate> Updates { get; } = new();

        public void Report(ProgressUpdate value) => Updates.Enqueue(value);
    }

    [Fact]
    public async Task EveryItemIsRecordedOnce_WithAtMostConcurrencyInFlight_AndProgressEndsAtTheTotal()
    {
        var recorded = new ConcurrentBag<int>();
        var inFlight = 0;
        var most = 0;
        var progress = new Collect();
        var loop = new RunLoop<int, int> { Task = "t", Unit = "items", Concurrency = 3, Total = 40, AlreadyDone = 5, Failures = r => r % 10 == 0 ? 1 : 0 };
        var summary = await loop.RunAsync(
            Enumerable.Range(1, 40),
            async (item, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Yield();
                Thread.SpinWait(1000);
                Interlocked.Decrement(ref inFlight);
                return item;
            },
            (result, ct) =>
            {
                recorded.Add(result);
                return ValueTask.CompletedTask;
            },
            progress,
            Token);

        Assert.Equal(Enumerable.Range(1, 40), recorded.Order());
        Assert.InRange(most, 1, 3);
        Assert.Equal(40, summary.Completed);
        Assert.Equal(4, summary.Failed);
        var last = progress.Updates.Last();
        Assert.Equal((40L, 40L, 4L), (last.Completed, last.Total!.Value, last.Failed));
        Assert.Contains("5 done before", last.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsTheLoop_AndKeepsWhatWasRecorded()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var recorded = new ConcurrentBag<int>();
        var loop = new RunLoop<int, int> { Task = "t", Unit = "items", Concurrency = 2 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(
            Enumerable.Range(1, 1000),
            async (item, ct) =>
            {
                if (item == 10)
                {
                    await cancel.CancelAsync();
                }

                await Task.Delay(1, ct);
                return item;
            },
            (result, ct) =>
            {
                recorded.Add(result);
                return ValueTask.CompletedTask;
            },
            cancellationToken: cancel.Token));
        Assert.InRange(recorded.Count, 1, 20);
    }

    [Fact]
    public async Task AnUnreachableEndpoint_EndsEveryItemInFlight_AndIsRethrown()
    {
        var started = 0;
        var loop = new RunLoop<int, int> { Task = "t", Unit = "items", Concurrency = 4 };
        var thrown = await Assert.ThrowsAsync<EndpointUnreachableException>(() => loop.RunAsync(
            Enumerable.Range(1, 100),
            async (item, ct) =>
            {
                Interlocked.Increment(ref started);
                if (item == 3)
                {
                    throw new EndpointUnreachableException("http://127.0.0.1:9/v1", "connection refused");
                }

                // The others wait as a request to a dead server would, until the loop gives up on them.
                await Task.Delay(TimeSpan.FromMinutes(5), ct);
                return item;
            },
            (result, ct) => ValueTask.CompletedTask,
            cancellationToken: Token));
        Assert.Equal("http://127.0.0.1:9/v1 is unreachable: connection refused", thrown.Message);
        Assert.InRange(started, 3, 8);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
