using System.Text.Json;
using SecForge.Core.Json;
using SecForge.Curation.Sources;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// What was read and what came of it, counted per shard (in its completion marker) and summed for the run
/// (stats.json): records, pages, bytes, failures by code with examples, skipped records, and the languages,
/// domains and scrubbing of the documents stage 1 kept.
/// </summary>
public abstract class InputTally
{
    private const int FailureExamplesKept = 20;

    /// <summary>Records read from the inputs, including WARC bookkeeping records.</summary>
    public long RecordsRead { get; set; }

    /// <summary>Records that are pages or documents (WARC request, metadata and warcinfo records are not).</summary>
    public long Pages { get; set; }

    public long RawBytes { get; set; }

    public long RecordsFailed { get; set; }

    /// <summary>Failed records by failure code.</summary>
    public Dictionary<string, long> Failures { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A few failed records with their location, code and whole reason, for the report.</summary>
    public List<FailureExample> FailureExamples { get; set; } = [];

    public Dictionary<string, long> Skipped { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Languages { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Domains { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Scrubbed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts a record as read; true when it is a document for stage 1 (not failed, not skipped).</summary>
    public bool AddRead(SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        RecordsRead++;
        RawBytes += record.RawBytes;
        if (record.IsPage)
        {
            Pages++;
        }

        if (record.Failure is not null)
        {
            AddFailure(record.Location, record.FailureCode ?? SourceFailure.UnreadableFile, record.Failure);
            return false;
        }

        if (record.Skipped is not null)
        {
            var key = record.Skipped.StartsWith("not HTML", StringComparison.Ordinal) ? "not HTML" : record.Skipped;
            Skipped[key] = Skipped.GetValueOrDefault(key) + 1;
            return false;
        }

        return true;
    }

    /// <summary>Counts a failed record under its code and keeps the first few as examples.</summary>
    public void AddFailure(string location, SourceFailure code, string message)
    {
        RecordsFailed++;
        var name = JsonEnumName.Of(code);
        Failures[name] = Failures.GetValueOrDefault(name) + 1;
        if (FailureExamples.Count < FailureExamplesKept)
        {
            FailureExamples.Add(new FailureExample(location, name, message));
        }
    }

    /// <summary>Adds another tally's numbers (a finished shard's, into the run's).</summary>
    public void Merge(InputTally other, int failureExamples)
    {
        ArgumentNullException.ThrowIfNull(other);
        RecordsRead += other.RecordsRead;
        Pages += other.Pages;
        RawBytes += other.RawBytes;
        RecordsFailed += other.RecordsFailed;
        Merge(Failures, other.Failures);
        Merge(Skipped, other.Skipped);
        Merge(Languages, other.Languages);
        Merge(Domains, other.Domains);
        Merge(Scrubbed, other.Scrubbed);
        FailureExamples.AddRange(other.FailureExamples.Take(Math.Max(0, failureExamples - FailureExamples.Count)));
    }

    /// <summary>Writes a kept document to the shard's work file and counts its language, domain and scrubbing.</summary>
    internal void AddStaged(StagedDocument document, Stream writer)
    {
        JsonSerializer.Serialize(writer, document, SecForgeJson.Compact);
        writer.WriteByte((byte)'\n');
        var language = document.Language ?? "und";
        Languages[language] = Languages.GetValueOrDefault(language) + 1;
        if (document.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            Domains[uri.Host] = Domains.GetValueOrDefault(uri.Host) + 1;
        }

        foreach (var (kind, count) in document.Scrubbed ?? [])
        {
            Scrubbed[kind] = Scrubbed.GetValueOrDefault(kind) + count;
        }

        OnStaged();
    }

    /// <summary>Called for each kept document.</summary>
    protected virtual void OnStaged()
    {
    }

    private static void Merge(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = into.GetValueOrDefault(key) + value;
        }
    }
}
