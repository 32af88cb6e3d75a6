using SecForge.Core.IO;

namespace SecForge.Core.Running;

/// <summary>
/// A run's append-only journal: one JSON line per finished unit of work, flushed as it is written. Opening it cuts
/// a torn last line a killed process left, reads what is there (a line that does not parse is counted, not fatal)
/// and tells which keys are finished, so a rerun does only what is missing. The latest line of a key wins: a
/// failed item retried later is finished once a later line says so.
/// </summary>
public sealed class RunJournal<T> : IAsyncDisposable, IDisposable
    where T : class
{
    private readonly JsonlWriter _writer;

    internal RunJournal(string path, JsonlWriter writer, long count, long malformed, long repairedBytes, HashSet<string> finished)
    {
        Path = path;
        _writer = writer;
        ExistingEntries = count;
        Malformed = malformed;
        RepairedBytes = repairedBytes;
        Finished = finished;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Readable lines the journal held when opened.</summary>
    public long ExistingEntries { get; }

    /// <summary>Lines that held no readable entry when opened (counted and skipped).</summary>
    public long Malformed { get; }

    /// <summary>Bytes of a torn last line that were cut when opened.</summary>
    public long RepairedBytes { get; }

    /// <summary>Keys whose latest entry is finished.</summary>
    public IReadOnlySet<string> Finished { get; }

    /// <summary>Entries appended through this journal.</summary>
    public long Appended => _writer.Count;

    /// <summary>Appends one entry and flushes it.</summary>
    public ValueTask AppendAsync(T entry, CancellationToken cancellationToken = default) => _writer.WriteAsync(entry, cancellationToken);

    /// <summary>Appends one entry synchronously and flushes it.</summary>
    public void Append(T entry) => _writer.Write(entry);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    public void Dispose() => _writer.Dispose();
}
