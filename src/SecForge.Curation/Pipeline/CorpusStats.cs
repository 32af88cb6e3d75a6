namespace SecForge.Curation.Pipeline;

/// <summary>Everything a corpus run measured, written as stats.json and rendered as the report.</summary>
public sealed class CorpusStats : InputTally
{
    public string Version { get; set; } = "";

    public string ConfigFingerprint { get; set; } = "";

    public int Seed { get; set; }

    public int Shards { get; set; }

    public List<StageStats> Stages { get; set; } = [];

    /// <summary>Kept documents by length in characters (bin upper bound → count).</summary>
    public Dictionary<string, long> LengthHistogram { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Kept documents by tokens.</summary>
    public Dictionary<string, long> TokenHistogram { get; set; } = new(StringComparer.Ordinal);

    public long Documents { get; set; }

    public long Tokens { get; set; }

    public string Tokenizer { get; set; } = "";

    public long PackedSequences { get; set; }

    public int SequenceLength { get; set; }

    public long TokensLeftOver { get; set; }

    public long ParagraphsRemoved { get; set; }

    public double ParagraphBloomFalsePositiveRate { get; set; }

    public double ParagraphBloomMb { get; set; }

    public List<string> Outputs { get; set; } = [];
}

/// <summary>How long a run took and what it used (timing.json): the one output that differs between reruns.</summary>
public sealed record CorpusTiming(double Stage1Seconds, double FinalizeSeconds, double RawMegabytesPerSecond, long PeakWorkingSetMb, int Workers)
{
    /// <summary>
    /// Thread seconds per stage of stage 1 (read: decompressing, parsing and decoding records; signatures: hashes and
    /// MinHash for dedup), summed over threads and shards: where the time goes. Shards finished by an earlier,
    /// interrupted run count with the time they took then.
    /// </summary>
    public Dictionary<string, double> StageSeconds { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>One failed record: where, its failure code, and the whole reason.</summary>
public sealed record FailureExample(string Location, string Code, string Reason);

/// <summary>What stage 1 of one shard produced, kept in its completion marker.</summary>
public sealed class ShardStats : InputTally
{
    public int Shard { get; set; }

    public string Input { get; set; } = "";

    public string ConfigFingerprint { get; set; } = "";

    public List<StageStats> Stages { get; set; } = [];

    public long DocumentsOut { get; set; }

    public double Seconds { get; set; }

    /// <summary>Thread seconds per stage (see <see cref="CorpusTiming.StageSeconds"/>).</summary>
    public Dictionary<string, double> StageSeconds { get; set; } = new(StringComparer.Ordinal);

    protected override void OnStaged() => DocumentsOut++;
}
