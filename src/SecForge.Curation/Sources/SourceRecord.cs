namespace SecForge.Curation.Sources;

/// <summary>What a record holds before extraction.</summary>
public enum SourceContent
{
    /// <summary>An HTML page: main content is extracted.</summary>
    Html,

    /// <summary>Plain text or Markdown: used as it is.</summary>
    Text,
}

/// <summary>
/// One record read from an input, before extraction: a web page from a WARC file, a JSONL or Parquet row,
/// a file of a folder. A record that could not be read carries <see cref="Failure"/> instead of content.
/// </summary>
public sealed record SourceRecord
{
    /// <summary>A stable identifier: the source's own id, or the file and position.</summary>
    public required string Id { get; init; }

    /// <summary>Where the record came from, as a person can find it: "crawl.warc.gz@1234" or "data.jsonl:17".</summary>
    public required string Location { get; init; }

    /// <summary>The page's URL, when known.</summary>
    public string? Url { get; init; }

    /// <summary>The kind of content.</summary>
    public SourceContent Content { get; init; }

    /// <summary>The decoded content; null when the record failed.</summary>
    public string? Text { get; init; }

    /// <summary>Bytes the record took in its input (after decompression).</summary>
    public long RawBytes { get; init; }

    /// <summary>Why the record could not be read, in full; null when it was read.</summary>
    public string? Failure { get; init; }

    /// <summary>The kind of failure, which stats count by.</summary>
    public SourceFailure? FailureCode { get; init; }

    /// <summary>Why the record is not a document at all (a WARC request record, a redirect, an image); not a failure.</summary>
    public string? Skipped { get; init; }

    /// <summary>
    /// False for records that are not pages at all (WARC request, metadata and warcinfo records), so the share of
    /// pages kept is not diluted by the crawl's bookkeeping.
    /// </summary>
    public bool IsPage { get; init; } = true;

    /// <summary>A record that is not a document.</summary>
    public static SourceRecord Skip(string id, string location, string reason, long rawBytes = 0, bool isPage = true) =>
        new() { Id = id, Location = location, Skipped = reason, RawBytes = rawBytes, IsPage = isPage };

    /// <summary>A failed record.</summary>
    public static SourceRecord Failed(string id, string location, SourceFailure code, string reason, long rawBytes = 0) =>
        new() { Id = id, Location = location, Failure = reason, FailureCode = code, RawBytes = rawBytes };
}
