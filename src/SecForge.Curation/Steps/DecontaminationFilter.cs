using SecForge.Curation.Dedup;

namespace SecForge.Curation.Steps;

/// <summary>Drops documents that share n-grams with the benchmark files a user names (as Foundation-Sec-Instruct did).</summary>
public sealed class DecontaminationFilter(Decontaminator decontaminator) : CurationStep
{
    /// <summary>The reason a document is dropped for.</summary>
    public const string DropReason = "decontaminate:benchmark_overlap";

    /// <inheritdoc />
    public override string Name => "decontaminate";

    /// <summary>Benchmark n-grams held, for the report.</summary>
    public int Grams => decontaminator.Grams;

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return decontaminator.IsContaminated(document.Text) ? StepOutcome.Drop(DropReason) : StepOutcome.Keep;
    }
}
