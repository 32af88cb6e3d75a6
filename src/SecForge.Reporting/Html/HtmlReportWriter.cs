using System.Globalization;
using System.Net;
using System.Text;
using SecForge.Reporting.Charts;
using SecForge.Reporting.Model;

namespace SecForge.Reporting.Html;

/// <summary>Renders a <see cref="Report"/> as one self-contained HTML file: inline CSS and SVG, no scripts or external assets.</summary>
public static class HtmlReportWriter
{
    private const string Style = """
        :root{color-scheme:light;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--panel:#f6f8fa;--accent:#0072B2}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:1080px;margin:0 auto;padding:32px 24px 64px}
        header{border-bottom:1px solid var(--line);margin-bottom:24px;padding-bottom:12px}
        h1{font-size:28px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
        .subtitle{color:var(--muted);margin:0}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:16px 0 0;font-size:13px}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
        nav ol{margin:8px 0 0;padding-left:20px;font-size:14px}
        .metrics{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
        .metric{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
        .metric .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .metric .value{font-size:24px;font-weight:600}.metric .detail{font-size:12px;color:var(--muted)}
        table{border-collapse:collapse;width:100%;margin:12px 0;font-size:14px}
        caption{text-align:left;color:var(--muted);font-size:13px;padding-bottom:4px}
        th,td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top}
        th{background:var(--panel);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
        figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:6px}
        svg.chart{max-width:100%;height:auto;font-size:11px}
        svg .grid{stroke:#e5e8eb;stroke-width:1}svg .tick{fill:var(--muted)}svg .label{fill:var(--fg)}svg .value{fill:var(--fg)}svg .legend{fill:var(--fg)}
        pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
        .note{border-left:4px solid var(--accent);background:#eef6fc;padding:8px 12px;margin:12px 0;border-radius:0 6px 6px 0}
        .note.warning{border-color:#bf8700;background:#fff8c5}.note.error{border-color:#cf222e;background:#ffebe9}
        .comparison{display:grid;grid-template-columns:1fr 1fr;gap:12px}.comparison h4{margin:4px 0}
        footer{margin-top:48px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
        @media print{main{padding:0}}
        """;

    /// <summary>Renders <paramref name="report"/>.</summary>
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Escape(report.Title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n<main>\n<header>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Escape(report.Title)}</h1>\n");
        if (report.Subtitle is { } subtitle)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"subtitle\">{Escape(subtitle)}</p>\n");
        }

        if (report.Facts.Count > 0)
        {
            html.Append("<dl class=\"facts\">");
            foreach (var (name, value) in report.Facts)
            {
                html.Append(CultureInfo.InvariantCulture, $"<dt>{Escape(name)}</dt><dd>{Escape(value)}</dd>");
            }

            html.Append("</dl>\n");
        }

        if (report.Sections.Count > 2)
        {
            html.Append("<nav><ol>");
            for (var i = 0; i < report.Sections.Count; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#s{i + 1}\">{Escape(report.Sections[i].Title)}</a></li>");
            }

            html.Append("</ol></nav>\n");
        }

        html.Append("</header>\n");
        for (var i = 0; i < report.Sections.Count; i++)
        {
            var section = report.Sections[i];
            html.Append(CultureInfo.InvariantCulture, $"<section id=\"s{i + 1}\">\n<h2>{Escape(section.Title)}</h2>\n");
            foreach (var block in section.Blocks)
            {
                RenderBlock(html, block);
            }

            html.Append("</section>\n");
        }

        html.Append("<footer>Made by SecForge");
        if (report.GeneratedAt is { } generated)
        {
            html.Append(CultureInfo.InvariantCulture, $" on {generated.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }

        html.Append(".</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void RenderBlock(StringBuilder html, ReportBlock block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                foreach (var part in paragraph.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p>{Escape(part.Trim())}</p>\n");
                }

                break;
            case MetricsBlock metrics:
                html.Append("<div class=\"metrics\">");
                foreach (var metric in metrics.Metrics)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<div class=\"metric\"><div class=\"label\">{Escape(metric.Label)}</div><div class=\"value\">{Escape(metric.Value)}</div>");
                    if (metric.Detail is { } detail)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<div class=\"detail\">{Escape(detail)}</div>");
                    }

                    html.Append("</div>");
                }

                html.Append("</div>\n");
                break;
            case TableBlock table:
                html.Append("<table>");
                if (table.Caption is { } caption)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<caption>{Escape(caption)}</caption>");
                }

                html.Append("<thead><tr>");
                foreach (var column in table.Columns)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<th>{Escape(column)}</th>");
                }

                html.Append("</tr></thead><tbody>");
                foreach (var row in table.Rows)
                {
                    html.Append("<tr>");
                    foreach (var cell in row)
                    {
                        html.Append(LooksNumeric(cell) ? "<td class=\"num\">" : "<td>").Append(Escape(cell)).Append("</td>");
                    }

                    html.Append("</tr>");
                }

                html.Append("</tbody></table>\n");
                break;
            case BarChartBlock chart:
                html.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Escape(chart.Title)}</figcaption>{SvgChart.Bars(chart)}</figure>\n");
                break;
            case HistogramBlock histogram:
                html.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Escape(histogram.Title)}</figcaption>{SvgChart.Histogram(histogram)}</figure>\n");
                break;
            case CodeBlock code:
                if (code.Caption is { } codeCaption)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p><strong>{Escape(codeCaption)}</strong></p>");
                }

                html.Append(CultureInfo.InvariantCulture, $"<pre>{Escape(code.Text)}</pre>\n");
                break;
            case NoteBlock note:
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"note {note.Kind.ToString().ToLowerInvariant()}\">{Escape(note.Text)}</div>\n");
                break;
            case ComparisonBlock comparison:
                if (comparison.Caption is { } comparisonCaption)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p><strong>{Escape(comparisonCaption)}</strong></p>");
                }

                html.Append(CultureInfo.InvariantCulture, $"<div class=\"comparison\"><div><h4>{Escape(comparison.LeftTitle)}</h4><pre>{Escape(comparison.Left)}</pre></div><div><h4>{Escape(comparison.RightTitle)}</h4><pre>{Escape(comparison.Right)}</pre></div></div>\n");
                break;
            default:
                throw new NotSupportedException($"no HTML rendering for {block.GetType().Name}");
        }
    }

    /// <summary>True for cells like "0.93", "-12", "1,024", "95%", "0.91 ± 0.02".</summary>
    internal static bool LooksNumeric(string cell)
    {
        if (cell.Length == 0 || cell.Length > 32)
        {
            return false;
        }

        var digits = 0;
        foreach (var c in cell)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not ('.' or ',' or '-' or '+' or '%' or ' ' or '±' or '−' or '(' or ')' or '[' or ']' or 'x' or '×'))
            {
                return false;
            }
        }

        return digits > 0;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
