using System.Collections.Concurrent;

namespace SecForge.Curation.Pipeline;

/// <summary>Documents and bytes into and out of one stage, and why documents were dropped. Thread-safe.</summary>
public sealed class StageCounter(string name)
{
    private const int ExamplesPerReason = 5;
    private readonly ConcurrentDictionary<string, long> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedSet<string>> _examples = new(StringComparer.Ordinal);
    private long _documentsIn;
    private long _documentsOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _elapsedTicks;

    public string Name { get; } = name;

    /// <summary>Thread time spent in the stage (summed over threads); goes to timing.json, never stats.json.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) and returns now.</summary>
    public long Time(long startTimestamp)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.Add(ref _elapsedTicks, System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp, now).Ticks);
        return now;
    }

    public void In(long bytes)
    {
        Interlocked.Increment(ref _documentsIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void Out(long bytes)
    {
        Interlocked.Increment(ref _documentsOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    public void Drop(string reason, string? example = null)
    {
        _drops.AddOrUpdate(reason, 1, (_, n) => n + 1);
        if (example is not null)
        {
            AddExample(reason, example);
        }
    }

    /// <summary>
    /// Keeps the first few examples in sorted order, not arrival order: documents finish in a different order
    /// on every run, and stats must not change with it.
    /// </summary>
    private void AddExample(string reason, string example)
    {
        var examples = _examples.GetOrAdd(reason, _ => new SortedSet<string>(StringComparer.Ordinal));
        lock (examples)
        {
            examples.Add(example);
            if (examples.Count > ExamplesPerReason)
            {
                examples.Remove(examples.Max!);
            }
        }
    }

    /// <summary>Adds another counter's numbers (from a finished shard).</summary>
    public void Add(StageStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        Interlocked.Add(ref _documentsIn, stats.DocumentsIn);
        Interlocked.Add(ref _documentsOut, stats.DocumentsOut);
        Interlocked.Add(ref _bytesIn, stats.BytesIn);
        Interlocked.Add(ref _bytesOut, stats.BytesOut);
        foreach (var (reason, count) in stats.Drops)
        {
            _drops.AddOrUpdate(reason, count, (_, n) => n + count);
        }

        foreach (var (reason, examples) in stats.Examples ?? [])
        {
            foreach (var example in examples)
            {
                AddExample(reason, example);
            }
        }
    }

    public StageStats Snapshot() => new(
        Name,
        Interlocked.Read(ref _documentsIn),
        Interlocked.Read(ref _documentsOut),
        Interlocked.Read(ref _bytesIn),
        Interlocked.Read(ref _bytesOut),
        _drops.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        _examples.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => { lock (d.Value) { return d.Value.ToList(); } }, StringComparer.Ordinal));
}

/// <summary>A stage's numbers as written to stats.json.</summary>
/// <param name="Examples">A few dropped documents per reason (URL or location), to check a rule's judgement.</param>
public sealed record StageStats(string Name, long DocumentsIn, long DocumentsOut, long BytesIn, long BytesOut, Dictionary<string, long> Drops, Dictionary<string, List<string>>? Examples = null)
{
    /// <summary>The share of documents the stage dropped.</summary>
    public double DropRate => DocumentsIn == 0 ? 0 : 1.0 - ((double)DocumentsOut / DocumentsIn);
}
