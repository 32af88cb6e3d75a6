namespace SecForge.Curation.Pipeline;

/// <summary>A document after stage 1, as stored in the work shards: text, findings and dedup signatures.</summary>
public sealed record StagedDocument
{
    public required string Id { get; init; }

    public string? Url { get; init; }

    public required string Location { get; init; }

    public required string Text { get; init; }

    public string? Title { get; init; }

    public string? Language { get; init; }

    public double LanguageConfidence { get; init; }

    public int SecurityTerms { get; init; }

    public double SecurityTermDensity { get; init; }

    public double? Relevance { get; init; }

    public Dictionary<string, int>? Scrubbed { get; init; }

    /// <summary>Hash of the normalised text (exact dedup).</summary>
    public ulong TextHash { get; init; }

    /// <summary>MinHash LSH band hashes (near dedup).</summary>
    public ulong[]? Bands { get; init; }
}

/// <summary>A document as the output shards hold it.</summary>
public sealed record CorpusRecord
{
    public required string Id { get; init; }

    public string? Url { get; init; }

    public required string Text { get; init; }

    public string? Title { get; init; }

    public string? Language { get; init; }

    public int SecurityTerms { get; init; }

    public double? Relevance { get; init; }

    public int Tokens { get; init; }

    public required string Source { get; init; }
}
