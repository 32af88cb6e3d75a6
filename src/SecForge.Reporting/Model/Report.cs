namespace SecForge.Reporting.Model;

/// <summary>
/// A report as data: a title, facts about the run, and sections of blocks. Written as self-contained HTML,
/// Markdown and JSON by <see cref="ReportWriter"/>, so every capability describes its results once.
/// </summary>
public sealed class Report
{
    public Report(string title) => Title = title ?? throw new ArgumentNullException(nameof(title));

    /// <summary>The heading.</summary>
    public string Title { get; }

    /// <summary>One line under the heading.</summary>
    public string? Subtitle { get; init; }

    /// <summary>When the report was made; left out of the output when null (keeps reruns byte-identical).</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>Facts about the run: model, seed, inputs, versions.</summary>
    public IList<KeyValuePair<string, string>> Facts { get; } = [];

    /// <summary>The body.</summary>
    public IList<ReportSection> Sections { get; } = [];

    /// <summary>Adds a section and returns it for filling.</summary>
    public ReportSection AddSection(string title, string? introduction = null)
    {
        var section = new ReportSection(title);
        if (introduction is not null)
        {
            section.Blocks.Add(new ParagraphBlock(introduction));
        }

        Sections.Add(section);
        return section;
    }

    /// <summary>Adds a fact.</summary>
    public Report AddFact(string name, string value)
    {
        Facts.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }
}

/// <summary>A titled part of a report.</summary>
public sealed class ReportSection(string title)
{
    public string Title { get; } = title ?? throw new ArgumentNullException(nameof(title));

    public IList<ReportBlock> Blocks { get; } = [];

    public ReportSection Add(ReportBlock block)
    {
        Blocks.Add(block ?? throw new ArgumentNullException(nameof(block)));
        return this;
    }
}
