namespace SecForge.Curation.Steps;

/// <summary>A document inside a corpus run: its text as stages change it, and what stages learned about it.</summary>
public sealed class CorpusDocument
{
    public required string Id { get; init; }

    public string? Url { get; init; }

    /// <summary>Where it was read from (file and record).</summary>
    public required string Location { get; init; }

    /// <summary>The text: Markdown after extraction, changed by scrubbing.</summary>
    public required string Text { get; set; }

    /// <summary>Bytes of the raw record it came from.</summary>
    public long RawBytes { get; init; }

    public string? Title { get; set; }

    /// <summary>ISO 639-1 code, or "und" when it could not be told.</summary>
    public string? Language { get; set; }

    public double LanguageConfidence { get; set; }

    /// <summary>Distinct security lexicon terms found.</summary>
    public int SecurityTerms { get; set; }

    /// <summary>Lexicon hits per 1,000 words.</summary>
    public double SecurityTermDensity { get; set; }

    /// <summary>The classifier's probability of security relevance, when it ran.</summary>
    public double? RelevanceScore { get; set; }

    /// <summary>Replacements made by scrubbing, by kind.</summary>
    public Dictionary<string, int>? Scrubbed { get; set; }
}

/// <summary>What a step did to a document: kept it (possibly changed) or dropped it with a reason.</summary>
public readonly record struct StepOutcome(bool Kept, string? Reason)
{
    public static StepOutcome Keep { get; } = new(true, null);

    public static StepOutcome Drop(string reason) => new(false, reason);
}

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
}
