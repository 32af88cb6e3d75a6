using SecForge.Reporting.Html;
using SecForge.Testing;

namespace SecForge.Reporting.Tests;

public sealed class HtmlReportWriterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Html_IsSelfContained()
    {
        var html = HtmlReportWriter.Render(SampleReports.SafetyComparison());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesText()
    {
        var html = HtmlReportWriter.Render(SampleReports.SafetyComparison());
        Assert.Contains("LLM01 &lt;Prompt Injection&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Prompt Injection>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IsTheSameForTheSameReport()
    {
        Assert.Equal(HtmlReportWriter.Render(SampleReports.SafetyComparison()), HtmlReportWriter.Render(SampleReports.SafetyComparison()));
    }

    [Theory]
    [InlineData("0.93", true)]
    [InlineData("1,024", true)]
    [InlineData("0.91 ± 0.02", true)]
    [InlineData("−0.80", true)]
    [InlineData("LLM01", false)]
    [InlineData("", false)]
    public void NumericCells_AreRecognised(string cell, bool numeric) => Assert.Equal(numeric, HtmlReportWriter.LooksNumeric(cell));

    [Fact]
    public async Task Report_RendersInHeadlessChromium_WithItsTextAndCharts()
    {
        Assert.SkipWhen(HeadlessChromium.Executable is null, "Chromium is not installed (.ci/run installs the Debian package chromium)");
        using var directory = new TempDirectory();
        var path = await ReportWriter.WriteAllAsync(SampleReports.SafetyComparison(), directory.Path, cancellationToken: Token);

        await using var browser = await HeadlessChromium.LaunchAsync(Token);
        var page = await browser.RenderAsync(path, Token);

        Assert.Equal("Safety before and after fine-tuning", page.Title);
        Assert.Contains("Safety before and after fine-tuning", page.VisibleText, StringComparison.Ordinal);
        // Metric labels are styled upper-case; innerText reports them as a reader sees them.
        Assert.Contains("MEAN SAFETY (BASE)", page.VisibleText, StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "secforge-report-sample.png"), page.Screenshot);
        Assert.Contains("95% CI 0.88–0.94", page.VisibleText, StringComparison.Ordinal);
        Assert.Contains("LLM01 <Prompt Injection>", page.VisibleText, StringComparison.Ordinal);
        Assert.Contains("Alignment restored most of it.", page.VisibleText, StringComparison.Ordinal);
        Assert.Contains("3 attempts were ungraded", page.VisibleText, StringComparison.Ordinal);
        Assert.Equal(2, page.VisibleCharts);
        Assert.True(page.ChartMarks >= 6, $"expected bars drawn, saw {page.ChartMarks} marks");
        Assert.Empty(page.ExternalRequests);
        Assert.True(page.Screenshot.Length > 1000);
    }
}
