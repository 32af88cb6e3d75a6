namespace SecForge.Curation.Extraction;

/// <summary>What extraction made of one page.</summary>
/// <param name="Text">Main content as Markdown (empty when nothing was found or extraction failed).</param>
/// <param name="Title">The page title, if found.</param>
/// <param name="Failure">Why extraction failed (time budget, unparseable input), or null.</param>
/// <param name="Truncated">True when the page was larger than the limit and only its start was read.</param>
public sealed record ExtractionResult(string Text, string? Title, string? Failure = null, bool Truncated = false)
{
    /// <summary>True when extraction ran to the end.</summary>
    public bool Succeeded => Failure is null;
}
