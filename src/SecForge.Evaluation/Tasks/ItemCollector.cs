using SecForge.Core.Errors;

namespace SecForge.Evaluation.Tasks;

/// <summary>
/// Gathers a task's items as a loader reads its file: a row whose reading throws <see cref="InputException"/> is
/// skipped and counted with its place and reason, a row repeating an earlier id is skipped too, and only a file with
/// no usable row at all is an error (the first row's problem, naming file, line and field): a malformed row is not a
/// malformed file.
/// </summary>
internal sealed class ItemCollector(string path)
{
    private readonly List<EvalSample> _samples = [];
    private readonly List<SkippedItem> _skipped = [];
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private InputException? _first;

    /// <summary>The file's name, as sources are written.</summary>
    public string FileName { get; } = Path.GetFileName(path);

    /// <summary>Reads one row with <paramref name="read"/>; <paramref name="source"/> is where it is ("file:line").</summary>
    public void Add(string source, Func<EvalSample> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        EvalSample sample;
        try
        {
            sample = read();
        }
        catch (InputException exception)
        {
            _first ??= exception;
            _skipped.Add(new SkippedItem(source, exception.Field, exception.Detail ?? exception.Message));
            return;
        }

        if (_ids.TryGetValue(sample.Id, out var earlier))
        {
            _skipped.Add(new SkippedItem(source, "id", $"id '{sample.Id}' was already used by {earlier}"));
            return;
        }

        _ids[sample.Id] = source;
        _samples.Add(sample with { Source = sample.Source ?? source });
    }

    /// <summary>Records a row that could not even be read as a row (a line that is not JSON).</summary>
    public void Skip(SkippedItem item, InputException? cause = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        _first ??= cause ?? new InputException(item.Reason, path, null, item.Field);
        _skipped.Add(item);
    }

    /// <summary>The task's data; throws the first row's problem when no row could be used.</summary>
    public TaskData ToData(IReadOnlyList<string> files, IReadOnlyList<EvalSample>? shotPool = null, Scoring.ThreatActorGraph? actors = null)
    {
        if (_samples.Count == 0 && _first is not null)
        {
            throw new InputException(
                $"{_first.Detail ?? _first.Message}; not one of its {_skipped.Count:N0} item(s) can be used, so the file does not look like the format",
                _first.Path ?? path,
                _first.Record,
                _first.Field);
        }

        return new TaskData(_samples, files, shotPool, actors) { Skipped = _skipped };
    }
}
