namespace SecForge.Curation.Sources;

/// <summary>Limits and field names every source honours.</summary>
public sealed record SourceOptions
{
    /// <summary>Bytes a single record may take (decompressed); larger records fail with a reason.</summary>
    public long MaxRecordBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Bytes a source will decompress just to skip past one oversized record; a record larger still (a
    /// decompression bomb) ends the file with a failure.
    /// </summary>
    public long MaxSkipBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>JSONL/Parquet: the field holding the text (a dotted path for nested objects).</summary>
    public string TextField { get; init; } = "text";

    /// <summary>JSONL/Parquet: the field holding the id; the file and line when absent.</summary>
    public string IdField { get; init; } = "id";

    /// <summary>JSONL/Parquet: the field holding the URL.</summary>
    public string UrlField { get; init; } = "url";

    /// <summary>JSONL/Parquet: whether the text field holds HTML or text.</summary>
    public SourceContent Content { get; init; } = SourceContent.Text;
}
