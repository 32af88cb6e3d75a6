using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Reporting.Html;
using SecForge.Reporting.Markdown;
using SecForge.Reporting.Model;

namespace SecForge.Reporting;

/// <summary>Writes a report in all three formats next to each other, atomically.</summary>
public static class ReportWriter
{
    /// <summary>Writes <c>{baseName}.html</c>, <c>.md</c> and <c>.json</c> into <paramref name="directory"/>; returns the HTML path.</summary>
    public static async Task<string> WriteAllAsync(Report report, string directory, string baseName = "report", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var html = Path.Combine(directory, baseName + ".html");
        await AtomicFile.WriteAllTextAsync(html, HtmlReportWriter.Render(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, baseName + ".md"), MarkdownReportWriter.Render(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, baseName + ".json"), RenderJson(report), cancellationToken).ConfigureAwait(false);
        return html;
    }

    /// <summary>Writes one format chosen by <paramref name="path"/>'s extension (.html, .md or .json).</summary>
    public static Task WriteAsync(Report report, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".md" or ".markdown" => MarkdownReportWriter.Render(report),
            ".json" => RenderJson(report),
            _ => HtmlReportWriter.Render(report),
        };
        return AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
    }

    /// <summary>The report as indented JSON.</summary>
    public static string RenderJson(Report report) => JsonSerializer.Serialize(report, SecForgeJson.Indented);
}
