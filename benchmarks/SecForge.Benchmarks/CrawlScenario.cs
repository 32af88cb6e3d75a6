using System.Diagnostics;
using System.Globalization;
using SecForge.Knowledge.Crawl;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `crawl-harvest [pages-budget] [security-pages] [other-pages]`: the crawler on a generated loopback site (default
/// 1,000 security pages and 4,000 on other subjects, links in random order, see LoopbackSite.Generate), once with the
/// relevance gate and once breadth-first at the same page budget (default 1,000): pages/s and harvest rate (share
/// of fetched pages the lexicon judges security-relevant), with no politeness delay (one host, 8 requests at once).
/// </summary>
public static class CrawlScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var budget = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var security = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var other = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4000;
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(security, other));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"site: {security:N0} security pages, {other:N0} others (base rate {(double)security / (security + other):0.000}); budget {budget:N0} pages"));
        var results = new Dictionary<CrawlStrategy, CrawlSummary>();
        foreach (var strategy in new[] { CrawlStrategy.Gated, CrawlStrategy.BreadthFirst })
        {
            var directory = Directory.CreateTempSubdirectory("secforge-crawl-bench");
            var options = new CrawlOptions
            {
                Seeds = [site.BaseUri.AbsoluteUri],
                MaxPages = budget,
                Strategy = strategy,
                AllowPrivate = true,
                PerHostDelay = TimeSpan.Zero,
                PerHostConcurrency = 8,
                Concurrency = 8,
                MaxDepth = 50,
            };
            var watch = Stopwatch.StartNew();
            using (var crawler = new Crawler(options, directory.FullName))
            {
                results[strategy] = await crawler.RunAsync();
            }

            var summary = results[strategy];
            var warcBytes = directory.EnumerateFiles("*.warc.gz").Sum(f => f.Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{strategy,-13} {summary.Fetched,6:N0} pages in {watch.Elapsed.TotalSeconds,5:0.0} s = {summary.Fetched / watch.Elapsed.TotalSeconds,6:0} pages/s; harvest rate {summary.HarvestRate:0.000}; WARC {warcBytes / 1e6:0.0} MB"));
            directory.Delete(recursive: true);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gate / breadth-first harvest: {results[CrawlStrategy.Gated].HarvestRate / results[CrawlStrategy.BreadthFirst].HarvestRate:0.00}x"));
        return 0;
    }
}
