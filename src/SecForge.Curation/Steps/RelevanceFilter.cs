using SecForge.Curation.Relevance;

namespace SecForge.Curation.Steps;

/// <summary>
/// Foundation-Sec's two relevance stages: the lexicon as a high-recall prefilter (enough distinct security terms,
/// densely enough), then — when configured — the embedding classifier's probability against a threshold.
/// The classifier runs in batches (see <see cref="ScoreBatch"/>); this step checks the lexicon and the score.
/// </summary>
public sealed class RelevanceFilter(SecurityLexicon lexicon, int minDistinctTerms, double minTermsPerThousandWords, RelevanceClassifier? classifier, double threshold) : CurationStep
{
    /// <inheritdoc />
    public override string Name => "relevance";

    /// <summary>The classifier, when configured.</summary>
    public RelevanceClassifier? Classifier => classifier;

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var match = lexicon.Match(document.Text);
        document.SecurityTerms = match.DistinctTerms;
        document.SecurityTermDensity = match.HitsPerThousandWords;
        if (match.DistinctTerms < minDistinctTerms || match.HitsPerThousandWords < minTermsPerThousandWords)
        {
            return StepOutcome.Drop("relevance:lexicon");
        }

        if (classifier is not null && document.RelevanceScore is null)
        {
            document.RelevanceScore = classifier.Score([Summary(document)])[0];
        }

        return document.RelevanceScore is { } score && score < threshold ? StepOutcome.Drop("relevance:classifier") : StepOutcome.Keep;
    }

    /// <summary>Scores many documents in one call of the embedding model (much faster than one by one).</summary>
    public void ScoreBatch(IReadOnlyList<CorpusDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (classifier is null || documents.Count == 0)
        {
            return;
        }

        var scores = classifier.Score(documents.Select(Summary).ToArray());
        for (var i = 0; i < documents.Count; i++)
        {
            documents[i].RelevanceScore = scores[i];
        }
    }

    /// <summary>Checks the lexicon only (used before batched scoring, so only candidates are embedded).</summary>
    public bool PassesLexicon(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var match = lexicon.Match(document.Text);
        document.SecurityTerms = match.DistinctTerms;
        document.SecurityTermDensity = match.HitsPerThousandWords;
        return match.DistinctTerms >= minDistinctTerms && match.HitsPerThousandWords >= minTermsPerThousandWords;
    }

    private static string Summary(CorpusDocument document) =>
        document.Title is { Length: > 0 } title && !document.Text.StartsWith("# " + title, StringComparison.Ordinal) ? title + "\n\n" + document.Text : document.Text;
}
