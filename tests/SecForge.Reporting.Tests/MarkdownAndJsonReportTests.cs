using System.Text.Json;
using SecForge.Reporting.Markdown;

namespace SecForge.Reporting.Tests;

public sealed class MarkdownAndJsonReportTests
{
    [Fact]
    public void Markdown_TurnsChartsIntoTables()
    {
        var markdown = MarkdownReportWriter.Render(SampleReports.SafetyComparison());
        Assert.StartsWith("# Safety before and after fine-tuning\n", markdown, StringComparison.Ordinal);
        Assert.Contains("|  | base | fine-tuned |", markdown, StringComparison.Ordinal);
        Assert.Contains("| LLM01 Prompt Injection | 0.95 | 0.15 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| LLM07 System Prompt Leakage | 0.9 | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("```\ncurl -s", markdown, StringComparison.Ordinal);
        Assert.Contains("> **Warning:** 3 attempts", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_NamesEachBlockType()
    {
        using var document = JsonDocument.Parse(ReportWriter.RenderJson(SampleReports.SafetyComparison()));
        var root = document.RootElement;
        Assert.Equal("Safety before and after fine-tuning", root.GetProperty("title").GetString());
        var types = root.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("blocks").EnumerateArray()).Select(b => b.GetProperty("type").GetString()).ToList();
        Assert.Equal(["metrics", "paragraph", "bar_chart", "table", "histogram", "code", "note", "comparison"], types);
    }
}
