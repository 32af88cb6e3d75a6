namespace SecForge.Curation.Extraction;

/// <summary>Per-element measurements the content scorer works from (visible text only, removed parts excluded).</summary>
internal sealed class ElementStats
{
    /// <summary>Characters of visible text, whitespace runs counted once.</summary>
    public int Text;

    /// <summary>Of which inside links.</summary>
    public int LinkText;

    /// <summary>Commas (Latin and CJK), a sign of prose.</summary>
    public int Commas;

    /// <summary>Paragraph-like descendants (p, pre) with some text.</summary>
    public int Paragraphs;

    public int Images;

    public int ListItems;

    public int Inputs;

    public int Embeds;

    public int Headings;

    /// <summary>Characters of real prose below: paragraphs of some length that are not mostly links.</summary>
    public int Prose;

    /// <summary>True when the subtree holds an h1, main, article or article body: a wrapper, not boilerplate.</summary>
    public bool HoldsMainMarkers;

    /// <summary>Readability-style content score.</summary>
    public double Score;

    /// <summary>True once the element entered the candidate set.</summary>
    public bool IsCandidate;

    public double LinkDensity => Text == 0 ? 0 : (double)LinkText / Text;
}
