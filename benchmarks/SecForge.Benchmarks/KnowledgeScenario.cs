using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using SecForge.Knowledge.Import;
using SecForge.Knowledge.Store;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `kb-search [kb.sqlite] [extra-cves]`: retrieval quality and latency of `kb search`. Builds (or reuses) a knowledge
/// base of the shared security sources plus generated CVE records (default 3,200, to pass 10,000 entities) with
/// MiniLM vectors, then runs the 52 project-written queries of benchmarks/kb/queries.tsv in each mode: recall@5
/// (an expected id, revoked ones resolved, among the first five) and per-query latency p50/p99 including the
/// query's embedding. The queries were written with their answers known and were not used to tune the search.
/// `kb-cves DIR N`: writes N generated CVE JSON 5 records (from the Log4Shell fixture, ids CVE-2090-*) into DIR/cves.zip.
/// </summary>
public static class KnowledgeScenario
{
    public static int WriteCves(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.GetTempPath();
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var path = Path.Combine(folder, "cves.zip");
        WriteCveZip(path, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} records in {path} ({new FileInfo(path).Length / 1e6:0.0} MB)"));
        return 0;
    }

    public static int Search(string[] args)
    {
        var sources = RepositoryPaths.SharedDataFolder("security-sources");
        var kbPath = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "secforge-kb-bench.sqlite");
        var extra = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3_200;
        using var kb = KnowledgeBase.Open(kbPath);
        if (kb.Stats().EntitiesByType.Values.Sum() == 0)
        {
            if (sources is null)
            {
                Console.Error.WriteLine("../shared/data/security-sources is absent (set SECFORGE_SHARED_DATA)");
                return 2;
            }

            var temp = Directory.CreateTempSubdirectory("secforge-kb-bench");
            WriteCveZip(Path.Combine(temp.FullName, "cves.zip"), extra);
            var watch = Stopwatch.StartNew();
            new KnowledgeImporter(kb).Import([sources, Path.Combine(temp.FullName, "cves.zip")]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import {watch.Elapsed.TotalSeconds:0.0} s"));
            watch.Restart();
            var embedded = KnowledgeVectors.Update(kb);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"vectors for {embedded:N0} entities in {watch.Elapsed.TotalSeconds:0.0} s ({embedded / watch.Elapsed.TotalSeconds:0} entities/s)"));
            temp.Delete(recursive: true);
        }

        var stats = kb.Stats();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stats.EntitiesByType.Values.Sum():N0} entities, {stats.Vectors:N0} vectors"));
        var queries = File.ReadLines(Path.Combine(RepositoryPaths.Root, "benchmarks", "kb", "queries.tsv"))
            .Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => (Query: p[0], Expected: p[1].Split(' ').Select(id => kb.Resolve(id)?.Id ?? id).ToHashSet(StringComparer.OrdinalIgnoreCase))).ToList();
        KnowledgeVectors.Embed("warm up");
        Console.WriteLine($"{"mode",-8} {"recall@5",9} {"MRR@10",7} {"p50 ms",8} {"p99 ms",8}");
        foreach (var mode in new[] { SearchMode.Bm25, SearchMode.Vector, SearchMode.Hybrid })
        {
            var found = 0;
            double reciprocal = 0;
            var latencies = new List<double>();
            var misses = new List<string>();
            for (var repeat = 0; repeat < 3; repeat++)
            {
                foreach (var (query, expected) in queries)
                {
                    var watch = Stopwatch.StartNew();
                    var hits = kb.Search(query, mode, 10, embed: KnowledgeVectors.Embed);
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    if (repeat > 0)
                    {
                        continue;
                    }

                    var rank = hits.FindIndex(h => expected.Contains(h.Id));
                    found += rank is >= 0 and < 5 ? 1 : 0;
                    reciprocal += rank >= 0 ? 1.0 / (rank + 1) : 0;
                    if (rank is < 0 or >= 5)
                    {
                        misses.Add(query);
                    }
                }
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode,-8} {(double)found / queries.Count,9:0.000} {reciprocal / queries.Count,7:0.000} {Percentile(latencies, 0.5),8:0.0} {Percentile(latencies, 0.99),8:0.0}   ({found}/{queries.Count})"));
            foreach (var miss in misses.Take(8))
            {
                Console.WriteLine("         miss: " + miss);
            }
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void WriteCveZip(string path, int count)
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Fixtures", "cve", "2021", "44xxx", "CVE-2021-44228.json")))!;
        string[] products = ["web server", "VPN gateway", "mail server", "content management system", "file transfer appliance", "database driver", "router firmware", "identity provider"];
        string[] flaws = ["SQL injection", "path traversal", "heap buffer overflow", "authentication bypass", "deserialization of untrusted data", "cross-site scripting", "server-side request forgery", "command injection"];
        string[] cwes = ["CWE-89", "CWE-22", "CWE-122", "CWE-287", "CWE-502", "CWE-79", "CWE-918", "CWE-78"];
        var random = new Random(7);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        for (var i = 0; i < count; i++)
        {
            var record = template.DeepClone();
            var id = string.Create(CultureInfo.InvariantCulture, $"CVE-2090-{100000 + i}");
            var flaw = random.Next(flaws.Length);
            var product = products[random.Next(products.Length)];
            record["cveMetadata"]!["cveId"] = id;
            var cna = record["containers"]!["cna"]!;
            cna["title"] = $"{flaws[flaw]} in Example {product} {i % 97}.{i % 13}";
            cna["descriptions"]![0]!["value"] = $"A {flaws[flaw]} in the Example {product} before {i % 97}.{i % 13}.{i % 7} lets a remote attacker {(flaw % 2 == 0 ? "read arbitrary data" : "execute arbitrary code")} via crafted requests (generated benchmark record {i}).";
            cna["problemTypes"] = new JsonArray(new JsonObject { ["descriptions"] = new JsonArray(new JsonObject { ["type"] = "CWE", ["lang"] = "en", ["cweId"] = cwes[flaw], ["description"] = cwes[flaw] }) });
            var entry = zip.CreateEntry($"cves/2090/{i / 1000}xxx/{id}.json", CompressionLevel.Fastest);
            using var stream = entry.Open();
            using var writer = new StreamWriter(stream);
            writer.Write(record.ToJsonString());
        }
    }
}
