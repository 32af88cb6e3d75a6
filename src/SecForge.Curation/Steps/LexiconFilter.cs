using SecForge.Curation.Relevance;

namespace SecForge.Curation.Steps;

/// <summary>
/// Foundation-Sec's first relevance stage: the security lexicon as a high-recall prefilter. A document needs enough
/// distinct security terms, densely enough; both numbers are recorded on the document either way.
/// </summary>
public sealed class LexiconFilter(SecurityLexicon lexicon, int minDistinctTerms, double minTermsPerThousandWords) : CurationStep
{
    /// <summary>The reason a document is dropped for.</summary>
    public const string DropReason = "relevance:lexicon";

    /// <inheritdoc />
    public override string Name => "lexicon";

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var match = lexicon.Match(document.Text);
        document.SecurityTerms = match.DistinctTerms;
        document.SecurityTermDensity = match.HitsPerThousandWords;
        return match.DistinctTerms >= minDistinctTerms && match.HitsPerThousandWords >= minTermsPerThousandWords ? StepOutcome.Keep : StepOutcome.Drop(DropReason);
    }
}
