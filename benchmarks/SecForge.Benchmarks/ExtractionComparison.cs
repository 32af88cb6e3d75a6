using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SecForge.Curation.Extraction;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `extraction-compare [passes] [linkedom|jsdom]`: Mozilla Readability (npm, in node, on linkedom, its fast setup,
/// or on jsdom) and the SecForge extractor on the same
/// extraction-dev pages in one run, each on one thread, each timed on its second pass (the first warms the JIT),
/// scored with the dev set's own method. Prints F1 and pages/s of both.
/// </summary>
public static class ExtractionComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev");
        if (folder is null)
        {
            Console.Error.WriteLine("../shared/data/extraction-dev is absent (set SECFORGE_SHARED_DATA): nothing to compare on");
            return 2;
        }

        var passes = args.Length > 0 && int.TryParse(args[0], out var p) ? p : 2;
        var dom = args.Length > 1 && args[1] == "jsdom" ? "jsdom" : "linkedom";
        var gold = ExtractionScorer.ReadGold(Path.Combine(folder, "evaldata.json"));
        var html = Path.Combine(folder, "html");
        using var temp = new TempDirectory("secforge-extraction-compare");

        // Peer: node + linkedom (or jsdom) + @mozilla/readability, installed by `npm ci` in tools/.
        var list = Path.Combine(temp.Path, "files.json");
        await File.WriteAllTextAsync(list, JsonSerializer.Serialize(gold.Select(g => g.File).ToArray())).ConfigureAwait(false);
        var peerOutput = Path.Combine(temp.Path, "readability.jsonl");
        var script = Path.Combine(RepositoryPaths.Root, "benchmarks", "readability", "extract.mjs");
        var start = new ProcessStartInfo("node", [script, RepositoryPaths.NodeModules, html, list, peerOutput, passes.ToString(CultureInfo.InvariantCulture), dom])
        {
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = await node.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await node.WaitForExitAsync().ConfigureAwait(false);
        if (node.ExitCode != 0)
        {
            Console.Error.WriteLine($"readability run failed ({node.ExitCode}); is `npm ci` done in tools/?\n{stderr}");
            return 1;
        }

        var timing = JsonDocument.Parse(stderr.Trim().Split('\n')[^1]).RootElement;
        var peerSeconds = timing.GetProperty("seconds").GetDouble();
        var peerTexts = File.ReadLines(peerOutput)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("file").GetString()!, e => e.GetProperty("text").GetString() ?? "", StringComparer.Ordinal);

        // SecForge: the same bytes, decoded (charset from meta tags) and extracted on this thread.
        var bytes = gold.Select(g => File.ReadAllBytes(Path.Combine(html, g.File))).ToArray();
        var extractor = new HtmlExtractor();
        string[] ours = [];
        double oursSeconds = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            var watch = Stopwatch.StartNew();
            ours = bytes.Select(b => extractor.Extract(HtmlDecoder.Decode(b).Text).Text).ToArray();
            oursSeconds = watch.Elapsed.TotalSeconds;
        }

        var peerScore = ExtractionScore.Zero;
        var oursScore = ExtractionScore.Zero;
        for (var i = 0; i < gold.Count; i++)
        {
            peerScore += ExtractionScorer.Score(gold[i], peerTexts.GetValueOrDefault(gold[i].File, ""));
            oursScore += ExtractionScorer.Score(gold[i], ours[i]);
        }

        Console.WriteLine($"extraction-dev: {gold.Count} pages (the pages SecForge's extractor was developed on), one thread each, timed pass {passes} of {passes}");
        Console.WriteLine($"{"extractor",-34} {"precision",9} {"recall",7} {"F1",7} {"pages/s",9}");
        Print($"@mozilla/readability 0.6 ({dom})", peerScore, gold.Count / peerSeconds);
        Print("SecForge HtmlExtractor", oursScore, gold.Count / oursSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speed ratio SecForge / Readability: {peerSeconds / oursSeconds:0.0}x; F1 difference {oursScore.F1 - peerScore.F1:+0.000;-0.000}"));
        return 0;
    }

    private static void Print(string name, ExtractionScore score, double pagesPerSecond) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {score.Precision,9:0.0000} {score.Recall,7:0.0000} {score.F1,7:0.0000} {pagesPerSecond,9:0.0}"));
}
