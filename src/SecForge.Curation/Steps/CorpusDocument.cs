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
