using System.Diagnostics;
using SecForge.Core.Progress;

namespace SecForge.Core.Running;

/// <summary>
/// The bounded parallel loop of a run: each remaining item is processed with at most <see cref="Concurrency"/> in
/// flight, its result recorded (appended to the journal) as soon as it is ready, and progress reported with the
/// failures so far. Cancellation (Ctrl-C, SIGTERM) stops it between items with everything recorded kept; an
/// <see cref="EndpointUnreachableException"/> from any item stops all of them and is rethrown, since every other
/// item would fail the same way. A failed item is a result, never an exception.
/// </summary>
public sealed class RunLoop<TItem, TResult>
{
    private const long ReportEveryUnits = 16;
    private static readonly long ReportEvery = Stopwatch.Frequency / 5;

    /// <summary>What the progress line calls the work ("eval").</summary>
    public required string Task { get; init; }

    /// <summary>What a unit is ("samples").</summary>
    public required string Unit { get; init; }

    /// <summary>Items processed at once.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Units of work this run has left, when known.</summary>
    public long? Total { get; init; }

    /// <summary>Units an earlier run already finished (shown beside the progress).</summary>
    public long AlreadyDone { get; init; }

    /// <summary>Units a result stands for (one item, or a chunk of records).</summary>
    public Func<TResult, long> Units { get; init; } = _ => 1;

    /// <summary>Failed units in a result.</summary>
    public Func<TResult, long> Failures { get; init; } = _ => 0;

    /// <summary>A short extra for the progress line (cache hits), read when progress is reported.</summary>
    public Func<string?>? Detail { get; init; }

    /// <summary>Processes <paramref name="items"/>; returns what was done.</summary>
    public Task<RunLoopSummary> RunAsync(
        IEnumerable<TItem> items,
        Func<TItem, CancellationToken, ValueTask<TResult>> process,
        Func<TResult, CancellationToken, ValueTask> record,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(ToAsync(items), process, record, progress, cancellationToken);

    /// <summary>Processes a stream of <paramref name="items"/>; returns what was done.</summary>
    public async Task<RunLoopSummary> RunAsync(
        IAsyncEnumerable<TItem> items,
        Func<TItem, CancellationToken, ValueTask<TResult>> process,
        Func<TResult, CancellationToken, ValueTask> record,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(record);
        var clock = Stopwatch.StartNew();
        long completed = 0, failed = 0, lastReport = 0, lastReported = 0;
        progress?.Report(Update(0, 0));
        await Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Concurrency), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var result = await process(item, ct).ConfigureAwait(false);
                await record(result, ct).ConfigureAwait(false);
                var failures = Failures(result);
                var failedSoFar = failures > 0 ? Interlocked.Add(ref failed, failures) : Interlocked.Read(ref failed);
                var done = Interlocked.Add(ref completed, Units(result));
                // Report every few units or a few times a second, whichever comes first.
                var now = Stopwatch.GetTimestamp();
                var last = Interlocked.Read(ref lastReport);
                if (progress is not null
                    && (now - last >= ReportEvery || done - Interlocked.Read(ref lastReported) >= ReportEveryUnits)
                    && Interlocked.CompareExchange(ref lastReport, now, last) == last)
                {
                    Interlocked.Exchange(ref lastReported, done);
                    progress.Report(Update(done, failedSoFar));
                }
            }).ConfigureAwait(false);
        progress?.Report(Update(Interlocked.Read(ref completed), Interlocked.Read(ref failed)));
        return new RunLoopSummary(completed, failed, clock.Elapsed);
    }

    private ProgressUpdate Update(long done, long failed)
    {
        var detail = Detail?.Invoke();
        if (AlreadyDone > 0)
        {
            var already = $"{AlreadyDone:N0} done before";
            detail = detail is null ? already : $"{detail}, {already}";
        }

        return new ProgressUpdate(Task, done, Total, Unit, failed, detail);
    }

    private static async IAsyncEnumerable<TItem> ToAsync(IEnumerable<TItem> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await System.Threading.Tasks.Task.CompletedTask.ConfigureAwait(false);
    }
}

/// <summary>What a <see cref="RunLoop{TItem, TResult}"/> did: units completed and failed this time, and how long it took.</summary>
public sealed record RunLoopSummary(long Completed, long Failed, TimeSpan Elapsed);
