namespace SecForge.Core.Documents;

/// <summary>A text document flowing through SecForge: what a corpus stage reads, changes and writes.</summary>
public sealed record Document
{
    /// <summary>A stable identifier (from the source, or derived from its location).</summary>
    public required string Id { get; init; }

    /// <summary>The text (Markdown after extraction).</summary>
    public required string Text { get; init; }

    /// <summary>Where the document was found on the web, if anywhere.</summary>
    public string? Url { get; init; }

    /// <summary>Where it was read from: a file path, or a WARC path with the record's offset.</summary>
    public string? Source { get; init; }

    /// <summary>Values stages attach (language, relevance score, title).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
