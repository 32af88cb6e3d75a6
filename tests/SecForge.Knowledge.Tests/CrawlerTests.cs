using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SecForge.Curation.Sources;
using SecForge.Knowledge.Crawl;
using SecForge.Testing;

namespace SecForge.Knowledge.Tests;

public sealed class CrawlRulesTests
{
    [Fact]
    public void Robots_rules_pick_the_agents_group_and_the_longest_match()
    {
        var rules = RobotsRules.Parse("""
            User-agent: *
            Disallow: /

            User-agent: SecForge
            User-agent: OtherBot
            Disallow: /private/
            Allow: /private/open$
            Disallow: /*.pdf$
            Crawl-delay: 2
            """, "SecForge");
        Assert.True(rules.Allows(new Uri("http://a.example/public/page")));
        Assert.False(rules.Allows(new Uri("http://a.example/private/x")));
        Assert.True(rules.Allows(new Uri("http://a.example/private/open")));
        Assert.False(rules.Allows(new Uri("http://a.example/private/open/more")));
        Assert.False(rules.Allows(new Uri("http://a.example/doc/report.pdf")));
        Assert.Equal(TimeSpan.FromSeconds(2), rules.CrawlDelay);
        Assert.False(RobotsRules.Parse("User-agent: *\nDisallow: /", "SecForge").Allows(new Uri("http://a.example/x")));
        Assert.True(RobotsRules.Parse("User-agent: *\nDisallow:", "SecForge").Allows(new Uri("http://a.example/x")));
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("169.254.10.1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("fd00::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("93.184.216.34", null)]
    [InlineData("2606:4700:4700::1111", null)]
    public void The_address_guard_refuses_internal_addresses(string address, string? why) =>
        Assert.Equal(why, AddressGuard.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("HTTP://Example.ORG:80/a/b?x=1#frag", null, "http://example.org/a/b?x=1")]
    [InlineData("../c", "https://example.org/a/b/", "https://example.org/a/c")]
    [InlineData("https://example.org", null, "https://example.org/")]
    [InlineData("mailto:someone@example.org", null, null)]
    [InlineData("javascript:void(0)", null, null)]
    [InlineData("ftp://example.org/file", null, null)]
    public void Urls_are_normalised_for_the_seen_set(string href, string? baseUri, string? expected) =>
        Assert.Equal(expected, CrawlUrl.Normalize(href, baseUri is null ? null : new Uri(baseUri))?.AbsoluteUri);
}

public sealed class CrawlerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static CrawlOptions Options(LoopbackSite site, int maxPages, CrawlStrategy strategy = CrawlStrategy.Gated) => new()
    {
        Seeds = [site.BaseUri.AbsoluteUri],
        MaxPages = maxPages,
        Strategy = strategy,
        AllowPrivate = true,
        PerHostDelay = TimeSpan.Zero,
        PerHostConcurrency = 4,
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static async Task<CrawlSummary> CrawlAsync(CrawlOptions options, string directory)
    {
        using var crawler = new Crawler(options, directory);
        return await crawler.RunAsync(null, Token);
    }

    [Fact]
    public async Task A_crawl_writes_a_warc_the_corpus_pipeline_reads()
    {
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(20, 40), Token);
        using var temp = new TempDirectory();
        var summary = await CrawlAsync(Options(site, 30), temp.Path);

        Assert.Equal(30, summary.Fetched);
        Assert.InRange(summary.Relevant, 5, 30);
        var warc = temp.File(Assert.Single(summary.WarcFiles));
        var records = WarcReader.Read(warc, new SourceOptions()).Where(r => r.IsPage).ToList();
        Assert.Equal(30, records.Count(r => r.Failure is null && r.Skipped is null));
        Assert.All(records, r => Assert.StartsWith(site.BaseUri.AbsoluteUri, r.Url, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Text!.Contains("Security note", StringComparison.Ordinal));
        Assert.True(File.Exists(temp.File("run.json")));
    }

    [Fact]
    public async Task A_third_party_reader_reads_the_warc_and_its_digests_match()
    {
        var modules = RepositoryPaths.NodeModules;
        Assert.SkipWhen(!Directory.Exists(Path.Combine(modules, "warcio")), "npm warcio is not installed in tools/node_modules (.ci/run installs it)");
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(5, 5), Token);
        using var temp = new TempDirectory();
        var summary = await CrawlAsync(Options(site, 8), temp.Path);
        var script = Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Node", "read-warc.cjs");
        using var node = Process.Start(new ProcessStartInfo("node", [script, modules, temp.File(summary.WarcFiles[0])]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await node.StandardOutput.ReadToEndAsync(Token);
        var error = await node.StandardError.ReadToEndAsync(Token);
        await node.WaitForExitAsync(Token);
        Assert.True(node.ExitCode == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(8, result.GetProperty("types").GetProperty("response").GetInt32());
        Assert.Equal(8, result.GetProperty("types").GetProperty("request").GetInt32());
        Assert.Equal(8, result.GetProperty("types").GetProperty("metadata").GetInt32());
        Assert.Equal(1, result.GetProperty("types").GetProperty("warcinfo").GetInt32());
        Assert.Equal(8, result.GetProperty("digestsChecked").GetInt32());
        Assert.Equal(0, result.GetProperty("digestsWrong").GetInt32());
    }

    [Fact]
    public async Task Robots_txt_is_honoured()
    {
        var pages = LoopbackSite.Generate(3, 3);
        pages["/robots.txt"] = new SitePage("User-agent: *\nDisallow: /home/\n", "text/plain");
        await using var site = await LoopbackSite.StartAsync(pages, Token);
        using var temp = new TempDirectory();
        var summary = await CrawlAsync(Options(site, 50), temp.Path);
        Assert.Equal(0, Enumerable.Range(0, 3).Sum(i => site.Hits($"/home/{i}")));
        Assert.True(summary.Reasons.GetValueOrDefault("skipped: robots.txt") > 0);
        Assert.Equal(1, site.Hits("/robots.txt"));
    }

    [Fact]
    public async Task Bad_servers_are_counted_failures_and_the_crawl_goes_on()
    {
        var pages = new Dictionary<string, SitePage>(StringComparer.Ordinal)
        {
            ["/"] = new("<html><body><a href=\"/loop1\">a</a> <a href=\"/huge\">b</a> <a href=\"/hang\">c</a> <a href=\"/missing\">d</a> <a href=\"/image.png\">e</a> <a href=\"/ok\">f</a> <a href=\"/moved\">g</a> <a href=\"/flaky\">h</a></body></html>"),
            ["/loop1"] = new(string.Empty, Status: 302, Location: "/loop2"),
            ["/loop2"] = new(string.Empty, Status: 301, Location: "/loop1"),
            ["/huge"] = new(string.Empty, Endless: true),
            ["/hang"] = new("late", Delay: TimeSpan.FromSeconds(30)),
            ["/image.png"] = new("PNG", "image/png"),
            ["/ok"] = new("<html><body><p>fine</p></body></html>"),
            ["/moved"] = new(string.Empty, Status: 301, Location: "/ok2"),
            ["/ok2"] = new("<html><body><p>moved here</p></body></html>"),
            ["/flaky"] = new("try later", "text/plain", Status: 503),
        };
        await using var site = await LoopbackSite.StartAsync(pages, Token);
        using var temp = new TempDirectory();
        var options = Options(site, 50) with { MaxBytes = 256 * 1024, RequestTimeout = TimeSpan.FromSeconds(1), Retries = 1 };
        var summary = await CrawlAsync(options, temp.Path);
        Assert.Equal(1, summary.Reasons["failed: redirect-loop"]);
        Assert.Equal(1, summary.Reasons["failed: too-large"]);
        Assert.Equal(1, summary.Reasons["failed: timeout"]);
        Assert.Equal(1, summary.Reasons["failed: http-404"]);
        Assert.Equal(1, summary.Reasons["failed: http-503"]);
        Assert.Equal(1, summary.Reasons["skipped: not-html"]);
        Assert.Equal(2, site.Hits("/flaky"));
        Assert.Equal(2, site.Hits("/hang"));
        Assert.Equal(1, site.Hits("/ok2"));
        Assert.True(summary.Fetched >= 3, $"{summary.Fetched} fetched");
    }

    [Fact]
    public async Task Without_allow_private_a_loopback_seed_is_refused_before_connecting()
    {
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(2, 2), Token);
        using var temp = new TempDirectory();
        var summary = await CrawlAsync(Options(site, 10) with { AllowPrivate = false }, temp.Path);
        Assert.Equal(0, site.TotalHits);
        Assert.Equal(0, summary.Fetched);
        Assert.True(summary.Reasons.GetValueOrDefault("skipped: refused-address") > 0);
    }

    [Fact]
    public async Task A_stopped_crawl_resumes_without_fetching_a_page_again()
    {
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(15, 30), Token);
        using var temp = new TempDirectory();
        var first = await CrawlAsync(Options(site, 10, CrawlStrategy.BreadthFirst), temp.Path);
        Assert.Equal(10, first.Fetched);

        // Stop the second session as Ctrl-C would, in the middle, once the site has served 20 requests.
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Token))
        using (var crawler = new Crawler(Options(site, 40, CrawlStrategy.BreadthFirst) with { PerHostDelay = TimeSpan.FromMilliseconds(20) }, temp.Path))
        {
            var watcher = Task.Run(async () =>
            {
                while (site.TotalHits < 20)
                {
                    await Task.Delay(2, Token);
                }

                await stop.CancelAsync();
            }, Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crawler.RunAsync(null, stop.Token));
            await watcher;
        }

        // Pages finished before the last session are not fetched again; a page that was in flight when the crawl
        // was stopped had nothing stored, so it is fetched once more.
        List<string> finished;
        using (var frontier = new CrawlFrontier(temp.File("frontier.sqlite")))
        {
            finished = frontier.Urls("done").Select(u => new Uri(u).PathAndQuery).ToList();
        }

        var hitsBefore = finished.ToDictionary(p => p, site.Hits);
        var last = await CrawlAsync(Options(site, 40, CrawlStrategy.BreadthFirst), temp.Path);
        Assert.True(last.Fetched == 40, $"{last.Fetched} fetched, {last.Queued} queued, {last.Skipped} skipped, {last.Failed} failed, dir {temp.Path}; {string.Join(", ", last.Reasons.Select(r => $"{r.Key} {r.Value}"))}");
        Assert.True(finished.Count >= 15, $"{finished.Count} finished before the last session");
        Assert.All(finished, p => Assert.Equal(hitsBefore[p], site.Hits(p)));
        Assert.All(site.Pages.Keys, p => Assert.True(site.Hits(p) <= 2, $"{p} fetched {site.Hits(p)} times"));
        Assert.Equal(3, last.WarcFiles.Count);
    }

    [Fact]
    public async Task The_relevance_gate_harvests_more_security_pages_than_breadth_first()
    {
        // A fifth of the site is about security; at a budget well under the security section's size the gate
        // should find them at least twice as often as breadth-first order does.
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(200, 800), Token);
        using var gatedDir = new TempDirectory();
        using var bfsDir = new TempDirectory();
        var gated = await CrawlAsync(Options(site, 100), gatedDir.Path);
        var bfs = await CrawlAsync(Options(site, 100, CrawlStrategy.BreadthFirst), bfsDir.Path);
        Assert.True(gated.HarvestRate >= 2 * bfs.HarvestRate, $"gated {gated.HarvestRate:0.00}, breadth-first {bfs.HarvestRate:0.00}");
    }
}
