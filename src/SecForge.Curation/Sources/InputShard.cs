namespace SecForge.Curation.Sources;

/// <summary>The kinds of input files.</summary>
public enum InputFormat
{
    Warc,
    Jsonl,
    Parquet,
    Html,
    Text,
    Pdf,
}

/// <summary>
/// A unit of work of a corpus run: one WARC, JSONL or Parquet file, or a group of loose files. Shards are
/// numbered in a fixed order, so a run split over ranks (shard % world-size) covers each exactly once.
/// </summary>
/// <param name="Index">The shard's number.</param>
/// <param name="Format">What the files are.</param>
/// <param name="Files">The files, in order (one for container formats).</param>
/// <param name="Options">Field names and limits for this input.</param>
public sealed record InputShard(int Index, InputFormat Format, IReadOnlyList<string> Files, SourceOptions Options)
{
    /// <summary>Total bytes of the files on disk.</summary>
    public long Bytes => Files.Sum(f => new FileInfo(f).Length);

    /// <summary>A short description for progress and reports.</summary>
    public string Describe() => Files.Count == 1 ? Path.GetFileName(Files[0]) : $"{Files.Count} {Format.ToString().ToLowerInvariant()} files from {Path.GetFileName(Files[0])}";
}
