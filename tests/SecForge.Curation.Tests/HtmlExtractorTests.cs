using System.Text;
using SecForge.Testing;
using SecForge.Curation.Extraction;

namespace SecForge.Curation.Tests;

public sealed class HtmlExtractorTests
{
    private static string Article(string body) => $$"""
        <html><head><title>Advisory | VulnWatch</title></head><body>
        <header class="site-header"><nav><a href="/">Home</a> <a href="/research">Research</a> <a href="/about">About us</a></nav></header>
        <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
        <main><article><h1>Critical flaw in Example Gateway</h1>
        <div class="entry-content">{{body}}</div>
        <div class="share-bar">Share on Twitter Share on LinkedIn</div>
        <section class="related-posts"><h3>Related articles</h3><ul><li><a href="/a">Another story about routers</a></li><li><a href="/b">Yet another story</a></li></ul></section>
        <div id="comments" class="comments-area"><div class="comment"><p>Great post, thanks a lot for sharing this with everyone!</p></div></div>
        </article></main>
        <aside class="sidebar"><h3>Newsletter</h3><p>Get our weekly digest delivered to your inbox every Friday morning.</p></aside>
        <footer><p>© 2025 VulnWatch. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
        </body></html>
        """;

    private const string Prose = "<p>The vulnerability lets a remote attacker run commands on the appliance, and it is being exploited in the wild by at least two groups, according to the vendor.</p><p>Administrators should upgrade to version 9.2.1, restrict the management interface to trusted networks, and review logs for signs of compromise since January.</p>";

    [Fact]
    public void Boilerplate_IsRemoved_AndTheArticleKept()
    {
        var result = new HtmlExtractor().Extract(Article(Prose));

        Assert.True(result.Succeeded);
        Assert.StartsWith("# Critical flaw in Example Gateway", result.Text, StringComparison.Ordinal);
        Assert.Contains("exploited in the wild", result.Text, StringComparison.Ordinal);
        Assert.Contains("upgrade to version 9.2.1", result.Text, StringComparison.Ordinal);
        foreach (var boilerplate in new[] { "About us", "cookies", "Share on Twitter", "Another story", "Great post", "weekly digest", "All rights reserved" })
        {
            Assert.DoesNotContain(boilerplate, result.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Preformatted_Code_IsKeptVerbatim_WithIndentation()
    {
        var code = "def check(host):\n    if host.version < (9, 2, 1):\n        return \"vulnerable\"\n    return \"patched\"";
        var result = new HtmlExtractor().Extract(Article(Prose + "<pre><code>" + System.Net.WebUtility.HtmlEncode(code) + "</code></pre>"));

        Assert.Contains("```\n" + code + "\n```", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_BecomeMarkdownTables()
    {
        var table = "<table><tr><th>Type</th><th>Indicator</th></tr><tr><td>IPv4</td><td>203.0.113.7</td></tr><tr><td>SHA-256</td><td>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</td></tr></table>";
        var result = new HtmlExtractor().Extract(Article(Prose + table));

        Assert.Contains("| Type | Indicator |\n| --- | --- |\n| IPv4 | 203.0.113.7 |", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_AndHeadings_KeepTheirStructure()
    {
        var result = new HtmlExtractor().Extract(Article(Prose + "<h2>Mitigation</h2><ol><li>Patch the gateway firmware.</li><li>Rotate the admin credentials.</li></ol>"));

        Assert.Contains("## Mitigation", result.Text, StringComparison.Ordinal);
        Assert.Contains("1. Patch the gateway firmware.\n2. Rotate the admin credentials.", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void HiddenElements_AreNotText()
    {
        var result = new HtmlExtractor().Extract(Article(Prose + "<p style=\"display: none\">secret tracking text</p><p hidden>also hidden text here</p><span class=\"sr-only\">Opens in a new window</span>"));

        Assert.DoesNotContain("tracking", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("also hidden", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("new window", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_FailsWithAReason_BeforeParsing()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep text</body></html>";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = new HtmlExtractor().Extract(html);

        Assert.False(result.Succeeded);
        Assert.Equal("the page nests elements about 100,002 deep (limit 5,000)", result.Failure);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void NestingScan_IgnoresScriptsVoidElementsAndParagraphs()
    {
        var script = "<script>for (var i=0;i<n;i++) { if (a<b) x(); }</script>";
        var html = "<html><body>" + string.Concat(Enumerable.Repeat(script + "<p>text<br><img src=x><li>item", 20_000)) + "<div><div></div></div></body></html>";
        Assert.Equal(4, HtmlExtractor.EstimateNestingDepth(html));
    }

    [Fact]
    public void ASlowPage_FailsAtTheTimeBudget()
    {
        // Thousands of unclosed formatting elements are slow for an HTML5 parser but shallow by our scan. A budget of
        // a millisecond is shorter than parsing them takes on any machine, so the test does not depend on its speed.
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<p>para <a href=x>link <i>it </i></a>", 40_000));

        var result = new HtmlExtractor(new ExtractionOptions { TimeBudget = TimeSpan.FromMilliseconds(1) }).Extract(html);

        Assert.False(result.Succeeded);
        Assert.Equal("extraction exceeded its time budget of 0.001 s", result.Failure);
    }

    [Fact]
    public void UnclosedTags_DoNotBreakExtraction()
    {
        var html = "<html><body><div class=\"content\"><p>The patch for CVE-2024-3400 closes a command injection in the GlobalProtect gateway that attackers have used since March, and" + " administrators should apply it <b>today <i>without waiting<p>for the next maintenance window because exploitation is widespread and automated.";

        var result = new HtmlExtractor().Extract(html);

        Assert.True(result.Succeeded);
        Assert.Contains("CVE-2024-3400", result.Text, StringComparison.Ordinal);
        Assert.Contains("exploitation is widespread", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AHugePage_IsReadUpToTheLimit_WithoutExploding()
    {
        var paragraph = "<p>Security advisory text about CVE-2021-44228 and its mitigation in logging libraries used everywhere.</p>\n";
        var builder = new StringBuilder("<html><body><article>");
        while (builder.Length < 50_000_000)
        {
            builder.Append(paragraph);
        }

        var result = new HtmlExtractor(new ExtractionOptions { MaxHtmlChars = 4 * 1024 * 1024, TimeBudget = TimeSpan.FromSeconds(60) }).Extract(builder.Append("</article></body></html>").ToString());

        Assert.True(result.Truncated);
        Assert.True(result.Succeeded, result.Failure);
        Assert.Contains("CVE-2021-44228", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Charset_ComesFromTheMetaTag_WhenTheHeaderSaysNothing()
    {
        var html = "<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\u00e9 \u2013 r\u00e9sum\u00e9</p></body></html>";
        var bytes = LegacyEncodings.Get("1252").GetBytes(html);

        var decoded = HtmlDecoder.Decode(bytes);

        Assert.Equal("windows-1252", decoded.Charset);
        Assert.Contains("Café – résumé", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Charset_FromTheHttpHeader_WinsOverTheDefault()
    {
        var bytes = LegacyEncodings.Get("iso-8859-2").GetBytes("<html><body><p>Zażółć gęślą jaźń</p></body></html>");
        var decoded = HtmlDecoder.Decode(bytes, "iso-8859-2");
        Assert.Contains("Zażółć gęślą jaźń", decoded.Text, StringComparison.Ordinal);
        Assert.Equal("HTTP header", decoded.Source);
    }
}
