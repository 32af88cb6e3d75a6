using SecForge.Curation.Relevance;

namespace SecForge.Curation.Steps;

/// <summary>
/// Foundation-Sec's second relevance stage: the embedding classifier's probability of security relevance against a
/// threshold. Documents are scored in batches (one call of the embedding model for all that reach the step).
/// </summary>
public sealed class ClassifierFilter(RelevanceClassifier classifier, double threshold) : CurationStep
{
    /// <summary>The reason a document is dropped for.</summary>
    public const string DropReason = "relevance:classifier";

    /// <inheritdoc />
    public override string Name => "classifier";

    /// <summary>The classifier.</summary>
    public RelevanceClassifier Classifier => classifier;

    /// <inheritdoc />
    public override void PrepareBatch(IReadOnlyList<CorpusDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var unscored = documents.Where(d => d.RelevanceScore is null).ToList();
        if (unscored.Count == 0)
        {
            return;
        }

        var scores = classifier.Score(unscored.Select(Summary).ToArray());
        for (var i = 0; i < unscored.Count; i++)
        {
            unscored[i].RelevanceScore = scores[i];
        }
    }

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.RelevanceScore ??= classifier.Score([Summary(document)])[0];
        return document.RelevanceScore < threshold ? StepOutcome.Drop(DropReason) : StepOutcome.Keep;
    }

    /// <summary>What the classifier reads: the title (when the text does not start with it) and the text.</summary>
    private static string Summary(CorpusDocument document) =>
        document.Title is { Length: > 0 } title && !document.Text.StartsWith("# " + title, StringComparison.Ordinal) ? title + "\n\n" + document.Text : document.Text;
}
