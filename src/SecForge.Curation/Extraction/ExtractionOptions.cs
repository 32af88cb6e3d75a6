namespace SecForge.Curation.Extraction;

/// <summary>Settings of <see cref="HtmlExtractor"/>.</summary>
public sealed record ExtractionOptions
{
    /// <summary>The hard limit on one page's extraction; a page that needs longer fails with a reason.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Pages whose tags nest deeper than this fail before parsing (HTML parsers slow down badly on them); found by a
    /// cheap scan, so the decision never depends on machine load.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 5000;

    /// <summary>Characters of HTML read at most; the rest of a larger page is ignored (and counted).</summary>
    public int MaxHtmlChars { get; init; } = 8 * 1024 * 1024;

    /// <summary>Put the page title (its main heading) first when the main content does not start with it.</summary>
    public bool IncludeTitle { get; init; } = true;

    /// <summary>Render tables as Markdown tables.</summary>
    public bool IncludeTables { get; init; } = true;

    /// <summary>Below this many characters the main-content result is compared with a whole-page fallback.</summary>
    public int MinimumMainTextChars { get; init; } = 200;
}
