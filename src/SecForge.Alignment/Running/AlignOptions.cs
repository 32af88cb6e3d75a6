using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;

namespace SecForge.Alignment.Running;

/// <summary>What to align, with what, and where the run lives.</summary>
public sealed record AlignOptions
{
    public required string Input { get; init; }

    public required DatasetFormat Format { get; init; }

    public FieldMap Fields { get; init; } = FieldMap.Default;

    public required string OutputDirectory { get; init; }

    public required ITriage Triage { get; init; }

    public required IRewriter Rewriter { get; init; }

    public required RewriteVerifier Verifier { get; init; }

    /// <summary>Pairs in flight at once (template mode: worker threads; model mode: requests).</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Records per journal flush.</summary>
    public int ChunkSize { get; init; } = 1024;

    /// <summary>Seed of the before/after samples in the report.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Before/after examples shown in the report.</summary>
    public int ReportSamples { get; init; } = 12;

    /// <summary>The models the triage and rewriter call, checked for reachability before the first record.</summary>
    public IReadOnlyList<SecForge.Models.ModelConnection> Connections { get; init; } = [];
}
