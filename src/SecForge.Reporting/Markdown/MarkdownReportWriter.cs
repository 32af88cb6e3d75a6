using System.Globalization;
using System.Text;
using SecForge.Reporting.Model;

namespace SecForge.Reporting.Markdown;

/// <summary>Renders a <see cref="Report"/> as GitHub-flavoured Markdown (charts become tables).</summary>
public static class MarkdownReportWriter
{
    /// <summary>Renders <paramref name="report"/>.</summary>
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append("# ").Append(Inline(report.Title)).Append("\n\n");
        if (report.Subtitle is { } subtitle)
        {
            md.Append(Inline(subtitle)).Append("\n\n");
        }

        foreach (var (name, value) in report.Facts)
        {
            md.Append("- **").Append(Inline(name)).Append("**: ").Append(Inline(value)).Append('\n');
        }

        if (report.Facts.Count > 0)
        {
            md.Append('\n');
        }

        foreach (var section in report.Sections)
        {
            md.Append("## ").Append(Inline(section.Title)).Append("\n\n");
            foreach (var block in section.Blocks)
            {
                RenderBlock(md, block);
            }
        }

        return md.ToString();
    }

    private static void RenderBlock(StringBuilder md, ReportBlock block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                md.Append(paragraph.Text.Trim()).Append("\n\n");
                break;
            case MetricsBlock metrics:
                Table(md, ["Metric", "Value", "Detail"], metrics.Metrics.Select(m => (IReadOnlyList<string>)[m.Label, m.Value, m.Detail ?? string.Empty]).ToList());
                break;
            case TableBlock table:
                if (table.Caption is { } caption)
                {
                    md.Append('*').Append(Inline(caption)).Append("*\n\n");
                }

                Table(md, table.Columns, table.Rows);
                break;
            case BarChartBlock chart:
                md.Append("**").Append(Inline(chart.Title)).Append("**\n\n");
                Table(
                    md,
                    [string.Empty, .. chart.Series],
                    chart.Categories.Select(c => (IReadOnlyList<string>)[c.Label, .. chart.Series.Select((_, i) => i < c.Values.Count && c.Values[i] is { } v ? v.ToString(chart.ValueFormat, CultureInfo.InvariantCulture) : "n/a")]).ToList());
                break;
            case HistogramBlock histogram:
                md.Append("**").Append(Inline(histogram.Title)).Append("**\n\n");
                Table(md, [histogram.XLabel ?? "bin", "count"], histogram.Bins.Select(b => (IReadOnlyList<string>)[b.Label, b.Count.ToString(CultureInfo.InvariantCulture)]).ToList());
                break;
            case CodeBlock code:
                if (code.Caption is { } codeCaption)
                {
                    md.Append("**").Append(Inline(codeCaption)).Append("**\n\n");
                }

                Fence(md, code.Text);
                break;
            case NoteBlock note:
                md.Append("> **").Append(note.Kind).Append(":** ").Append(Inline(note.Text)).Append("\n\n");
                break;
            case ComparisonBlock comparison:
                if (comparison.Caption is { } comparisonCaption)
                {
                    md.Append("**").Append(Inline(comparisonCaption)).Append("**\n\n");
                }

                md.Append('*').Append(Inline(comparison.LeftTitle)).Append("*\n\n");
                Fence(md, comparison.Left);
                md.Append('*').Append(Inline(comparison.RightTitle)).Append("*\n\n");
                Fence(md, comparison.Right);
                break;
            default:
                throw new NotSupportedException($"no Markdown rendering for {block.GetType().Name}");
        }
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        md.Append("| ").AppendJoin(" | ", columns.Select(Cell)).Append(" |\n|");
        foreach (var _ in columns)
        {
            md.Append(" --- |");
        }

        md.Append('\n');
        foreach (var row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        md.Append('\n');
    }

    private static void Fence(StringBuilder md, string text)
    {
        var fence = "```";
        while (text.Contains(fence, StringComparison.Ordinal))
        {
            fence += "`";
        }

        md.Append(fence).Append('\n').Append(text.TrimEnd('\n')).Append('\n').Append(fence).Append("\n\n");
    }

    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Inline(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
