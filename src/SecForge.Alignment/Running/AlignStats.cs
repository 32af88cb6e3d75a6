namespace SecForge.Alignment.Running;

/// <summary>stats.json of an alignment run.</summary>
public sealed record AlignStats
{
    public required string Input { get; init; }

    public required string Format { get; init; }

    public required string Triage { get; init; }

    public required string Rewriter { get; init; }

    public required string Similarity { get; init; }

    public double SimilarityThreshold { get; init; }

    public long Records { get; init; }

    public long Exchanges { get; init; }

    /// <summary>Records by action (kept, rewritten, refused, rejected, error).</summary>
    public required SortedDictionary<string, long> Actions { get; init; }

    /// <summary>Records by triage class.</summary>
    public required SortedDictionary<string, long> TriageClasses { get; init; }

    /// <summary>Per cyber-harm category: records by action.</summary>
    public required SortedDictionary<string, SortedDictionary<string, long>> Categories { get; init; }

    /// <summary>Rejections by reason code.</summary>
    public required SortedDictionary<string, long> RejectionReasons { get; init; }

    public double? MinEntityRetention { get; init; }

    public double? MeanEntityRetention { get; init; }

    public double? MeanSimilarity { get; init; }

    /// <summary>Records written to the aligned dataset (rejected and unreadable records are left out and listed in rejected.jsonl and decisions.jsonl).</summary>
    public long Written { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>Records decided by this invocation (not those a resumed run found done) per second of it.</summary>
    public double RecordsPerSecond { get; init; }
}
