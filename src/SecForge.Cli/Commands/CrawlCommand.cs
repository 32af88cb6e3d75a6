using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Knowledge.Crawl;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge crawl</c>: a polite, relevance-gated crawl into WARC files.</summary>
internal static class CrawlCommand
{
    public static Command Create(CliContext context)
    {
        var seeds = new Argument<string[]>("seeds") { Description = "Seed URLs: pages, or sitemaps (an .xml URL with 'sitemap' in its path).", Arity = ArgumentArity.ZeroOrMore };
        var seedsFile = new Option<string?>("--seeds-file") { Description = "A file of seed URLs, one per line (# comments)." };
        var output = CommandOptions.Output("The crawl directory: WARC files (crawl-NNNNN.warc.gz, one per session), the frontier (frontier.sqlite), run.json.");
        var maxPages = new Option<int>("--max-pages") { Description = "Pages to fetch at most, over all sessions of this crawl.", DefaultValueFactory = _ => 1000 };
        var maxDepth = new Option<int>("--max-depth") { Description = "Links followed from a seed at most.", DefaultValueFactory = _ => 8 };
        var strategy = new Option<string>("--strategy") { Description = "gated (links from security-relevant pages first; irrelevant branches stop after --irrelevant-depth levels) or breadth-first.", DefaultValueFactory = _ => "gated" };
        var irrelevantDepth = new Option<int>("--irrelevant-depth") { Description = "Levels followed below a page judged not relevant.", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests at once, all hosts together.", DefaultValueFactory = _ => 8 };
        var perHost = new Option<int>("--per-host") { Description = "Requests at once to one host.", DefaultValueFactory = _ => 2 };
        var delay = new Option<int>("--delay-ms") { Description = "Pause between requests to one host, in ms (a longer robots.txt Crawl-delay wins).", DefaultValueFactory = _ => 250 };
        var timeout = new Option<int>("--timeout-s") { Description = "Seconds for a whole response.", DefaultValueFactory = _ => 20 };
        var maxBytes = new Option<long>("--max-bytes") { Description = "Largest response body kept, in bytes.", DefaultValueFactory = _ => 5L * 1024 * 1024 };
        var allowHost = new Option<string[]>("--allow-host") { Description = "Hosts that may be crawled (repeat); default: the seeds' hosts.", AllowMultipleArgumentsPerToken = true };
        var deny = new Option<string[]>("--deny") { Description = "A regular expression on URLs not to crawl (repeat).", AllowMultipleArgumentsPerToken = true };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Allow loopback, private and link-local addresses (refused by default, after DNS resolution)." };
        var classifier = new Option<bool>("--classifier") { Description = "Also judge relevance with the MiniLM relevance classifier (about 0.1 s a page); the lexicon alone by default." };
        var json = CommandOptions.Json();
        var command = new Command("crawl", "Crawl the web from seeds into WARC files that `corpus run` reads: robots.txt, per-host politeness, a relevance-gated frontier that resumes where it stopped, SSRF guard.")
        {
            seeds, seedsFile, output, maxPages, maxDepth, strategy, irrelevantDepth, concurrency, perHost, delay, timeout, maxBytes, allowHost, deny, allowPrivate, classifier, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var list = (parse.GetValue(seeds) ?? []).ToList();
            if (parse.GetValue(seedsFile) is { } file)
            {
                var path = context.ResolvePath(file);
                if (!File.Exists(path))
                {
                    throw new InputException("seeds file not found", path, null, "--seeds-file");
                }

                list.AddRange(File.ReadLines(path).Select(l => l.Split('#', 2)[0].Trim()).Where(l => l.Length > 0));
            }

            if (list.Count == 0)
            {
                throw new InputException("give at least one seed URL (or --seeds-file)", null, null, "seeds");
            }

            foreach (var seed in list.Where(s => CrawlUrl.Normalize(s) is null))
            {
                throw new InputException($"'{seed}' is not an http(s) URL", null, null, "seeds");
            }

            var chosen = parse.GetValue(strategy) switch
            {
                "gated" => CrawlStrategy.Gated,
                "breadth-first" or "bfs" => CrawlStrategy.BreadthFirst,
                var other => throw new InputException($"--strategy must be gated or breadth-first, not '{other}'", null, null, "--strategy"),
            };
            foreach (var (name, value) in new[] { ("--max-pages", parse.GetValue(maxPages)), ("--concurrency", parse.GetValue(concurrency)), ("--per-host", parse.GetValue(perHost)), ("--timeout-s", parse.GetValue(timeout)) })
            {
                if (value < 1)
                {
                    throw new InputException($"{name} must be at least 1", null, null, name);
                }
            }

            var options = new CrawlOptions
            {
                Seeds = list,
                Strategy = chosen,
                MaxPages = parse.GetValue(maxPages),
                MaxDepth = parse.GetValue(maxDepth),
                IrrelevantDepth = parse.GetValue(irrelevantDepth),
                Concurrency = parse.GetValue(concurrency),
                PerHostConcurrency = parse.GetValue(perHost),
                PerHostDelay = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(delay))),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                MaxBytes = parse.GetValue(maxBytes),
                AllowHosts = parse.GetValue(allowHost) ?? [],
                Deny = parse.GetValue(deny) ?? [],
                AllowPrivate = parse.GetValue(allowPrivate),
                UseClassifier = parse.GetValue(classifier),
            };
            var directory = context.ResolvePath(parse.GetValue(output)!);
            using var crawler = new Crawler(options, directory);
            var summary = await ProgressDisplay.RunAsync(context, "crawl", progress => crawler.RunAsync(
                new ImmediateProgress<CrawlProgress>(p => progress.Report(new ProgressUpdate("crawl", p.Fetched, options.MaxPages, "pages", p.Failed, string.Create(CultureInfo.InvariantCulture, $"{p.Relevant:N0} relevant, {p.Queued:N0} queued, {p.Skipped:N0} skipped")))),
                cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { fetched = summary.Fetched, relevant = summary.Relevant, harvest_rate = Math.Round(summary.HarvestRate, 4), queued = summary.Queued, failed = summary.Failed, skipped = summary.Skipped, reasons = summary.Reasons, warc_files = summary.WarcFiles }, SecForgeJson.Indented));
            }
            else
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{summary.Fetched:N0} pages fetched, {summary.Relevant:N0} security-relevant (harvest rate {summary.HarvestRate:0.000}); {summary.Queued:N0} still queued; {summary.Failed:N0} failed, {summary.Skipped:N0} skipped"));
                foreach (var (reason, count) in summary.Reasons)
                {
                    context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {reason}: {count:N0}"));
                }

                context.Output.WriteLine($"WARC: {string.Join(", ", summary.WarcFiles.Select(f => Path.Combine(directory, f)))}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
