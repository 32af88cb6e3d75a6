namespace SecForge.Curation.Steps;

/// <summary>
/// One stage of the corpus pipeline over single documents: a filter (keep or drop with a reason) or a
/// transformer (change the text). Implementations are stateless or thread-safe: documents of different
/// shards pass through one instance at once.
/// </summary>
public abstract class CurationStep
{
    /// <summary>The stage name in stats and reports.</summary>
    public abstract string Name { get; }

    /// <summary>Processes <paramref name="document"/>.</summary>
    public abstract StepOutcome Process(CorpusDocument document);

    /// <summary>
    /// Called with the documents that reach this step together, before <see cref="Process"/> sees each of them: a step
    /// that is far cheaper on many documents at once (the embedding classifier) does its work here.
    /// </summary>
    public virtual void PrepareBatch(IReadOnlyList<CorpusDocument> documents)
    {
    }
}
