using System.Collections.Frozen;

namespace SecForge.Curation.Extraction;

/// <summary>Tag sets the extractor works from.</summary>
internal static class HtmlTags
{
    /// <summary>Dropped with everything inside them: never main content.</summary>
    public static readonly FrozenSet<string> Dropped = new[]
    {
        "script", "style", "template", "svg", "math", "canvas", "iframe", "frame", "frameset", "object", "embed",
        "applet", "audio", "video", "map", "area", "input", "select", "option", "optgroup", "textarea", "button", "datalist",
        "dialog", "nav", "menu", "menuitem", "head", "link", "meta", "aside", "footer", "label", "source", "track", "picture",
        "progress", "meter", "output", "title", "base", "param", "figure", "figcaption",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Elements that start a new block of text.</summary>
    public static readonly FrozenSet<string> Block = new[]
    {
        "address", "article", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "nav", "aside",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Elements that hold a paragraph of their own for scoring.</summary>
    public static readonly FrozenSet<string> Paragraph = new[] { "p", "pre", "td", "blockquote", "dd" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Roles of page furniture.</summary>
    public static readonly FrozenSet<string> FurnitureRoles = new[]
    {
        "navigation", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar", "tooltip",
        "banner",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Class names of text meant only for screen readers or hidden from view.</summary>
    public static readonly FrozenSet<string> HiddenClasses = new[]
    {
        "hidden", "hide", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader", "element-invisible",
        "offscreen", "d-none", "is-hidden", "u-hidden",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsHeading(string tag) => tag.Length == 2 && (tag[0] == 'h' || tag[0] == 'H') && tag[1] is >= '1' and <= '6';
}
