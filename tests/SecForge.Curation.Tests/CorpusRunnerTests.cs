using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SecForge.Curation.Pipeline;
using SecForge.Curation.Writers;
using SecForge.Testing;

namespace SecForge.Curation.Tests;

public sealed class CorpusRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal static string WriteCorpus(TempDirectory directory, int files = 1, string extraConfig = "") => SampleCorpus.Write(directory.Path, files, extraConfig);

    internal static Dictionary<string, byte[]> Outputs(string directory) => SampleCorpus.Outputs(directory);

    /// <summary>Asserts two runs' outputs are byte-identical; on a difference, shows how their stats differ.</summary>
    internal static void AssertSame(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b)
    {
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        var different = a.Keys.Where(k => !a[k].AsSpan().SequenceEqual(b[k])).ToList();
        if (different.Count == 0)
        {
            return;
        }

        var left = Encoding.UTF8.GetString(a["stats.json"]).Split('\n');
        var right = Encoding.UTF8.GetString(b["stats.json"]).Split('\n');
        var lines = left.Zip(right).Select((pair, i) => (pair, i)).Where(x => x.pair.First != x.pair.Second).Take(12).Select(x => $"line {x.i}: {x.pair.First.Trim()} | {x.pair.Second.Trim()}");
        Assert.Fail($"{string.Join(", ", different)} differ; stats.json: {string.Join("; ", lines)}");
    }

    [Fact]
    public async Task ARun_WritesConsistentShards_AndARerunIsByteIdentical()
    {
        using var directory = new TempDirectory();
        var config = CorpusConfig.Load(WriteCorpus(directory, files: 3));
        var first = directory.File("first");
        var second = directory.File("second");

        await new CorpusRunner(config, first).RunAsync(cancellationToken: Token);
        var runner = new CorpusRunner(config, second);
        await runner.RunAsync(cancellationToken: Token);

        var stats = runner.Stats!;
        Assert.True(stats.Documents > 40, $"{stats.Documents} documents kept");
        Assert.True(stats.Tokens > 10_000);
        Assert.Contains(stats.Stages, s => s.Name == "dedup" && s.Drops.ContainsKey("dedup:near") && s.Drops.ContainsKey("dedup:exact"));
        Assert.Contains(stats.Stages, s => s.Name == "lexicon" && s.Drops["relevance:lexicon"] > 40);
        Assert.Contains(stats.Stages, s => s.Name == "language" && s.Drops["language:de"] == 6);
        Assert.True(stats.Scrubbed["AWS_ACCESS_KEY_ID"] > 0);
        var inspection = CorpusInspector.Inspect(second, 1, 8);
        Assert.Empty(inspection.Problems);
        Assert.Equal(stats.Documents, inspection.Documents);

        var a = Outputs(first);
        var b = Outputs(second);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        AssertSame(a, b);
        Assert.Contains("documents/docs-00001.jsonl.zst", a.Keys);
        Assert.Contains("tokens/corpus_text_document.idx", a.Keys);
        Assert.Contains("report.html", a.Keys);
    }

    [Fact]
    public async Task TheClassifier_ScoresEveryDocumentThatPassedTheLexicon_AndItsThresholdDrops()
    {
        using var directory = new TempDirectory();
        var lenient = new CorpusRunner(CorpusConfig.Load(WriteCorpus(directory, files: 2, "relevance: { classifier: default, threshold: 0.5 }")), directory.File("lenient"));
        await lenient.RunAsync(cancellationToken: Token);
        var strict = new CorpusRunner(CorpusConfig.Load(WriteCorpus(directory, files: 2, "relevance: { classifier: default, threshold: 0.9999 }")), directory.File("strict"));
        await strict.RunAsync(cancellationToken: Token);

        var language = lenient.Stats!.Stages.Single(s => s.Name == "language");
        var classifier = lenient.Stats.Stages.Single(s => s.Name == "classifier");
        Assert.Equal(language.DocumentsOut, classifier.DocumentsIn);
        Assert.True(classifier.DocumentsOut >= classifier.DocumentsIn * 0.95, "the sample's lexicon-passing pages are security pages");
        Assert.True(lenient.Timing!.StageSeconds["classifier"] > 0);

        var strictClassifier = strict.Stats!.Stages.Single(s => s.Name == "classifier");
        Assert.True(strictClassifier.Drops.GetValueOrDefault("relevance:classifier") > 0, "a threshold of 0.9999 drops some documents");
        Assert.True(strict.Stats.Documents < lenient.Stats.Documents);

        using var documents = new StreamReader(new ZstdSharp.DecompressionStream(File.OpenRead(Directory.GetFiles(Path.Combine(directory.File("lenient"), "documents"), "*.jsonl.zst").Order(StringComparer.Ordinal).First())));
        var first = JsonDocument.Parse(documents.ReadLine()!).RootElement;
        Assert.InRange(first.GetProperty("relevance").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task RanksTogether_GiveTheSameCorpusAsOneRun()
    {
        using var directory = new TempDirectory();
        var config = CorpusConfig.Load(WriteCorpus(directory, files: 4));
        var single = directory.File("single");
        var ranked = directory.File("ranked");
        await new CorpusRunner(config, single).RunAsync(cancellationToken: Token);

        for (var rank = 0; rank < 3; rank++)
        {
            var finished = await new CorpusRunner(config, ranked).RunAsync(rank, 3, cancellationToken: Token);
            Assert.False(finished);
        }

        Assert.Equal(4, Directory.GetFiles(Path.Combine(ranked, "work", "stage1"), "*.done.json").Length);
        Assert.False(File.Exists(Path.Combine(ranked, "_SUCCESS")));
        Assert.True(await new CorpusRunner(config, ranked).RunAsync(cancellationToken: Token));

        var a = Outputs(single);
        var b = Outputs(ranked);
        AssertSame(a, b);
    }

    [Fact]
    public async Task AnotherConfig_CannotReuseAnOutputDirectory()
    {
        using var directory = new TempDirectory();
        var path = WriteCorpus(directory);
        var output = directory.File("out");
        await new CorpusRunner(CorpusConfig.Load(path), output).RunAsync(cancellationToken: Token);
        var changed = CorpusConfig.Load(path);
        changed.Seed = 99;

        var exception = await Assert.ThrowsAsync<SecForge.Core.Errors.InputException>(() => new CorpusRunner(changed, output).RunAsync(cancellationToken: Token));
        Assert.Contains("holds a corpus run with other settings (seed: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("→ 99", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRecords_AreCountedFailures_AndTheRunGoesOn()
    {
        using var directory = new TempDirectory();
        var config = WriteCorpus(directory);
        var crawl = Path.Combine(directory.Path, "crawl");
        var date = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

        // A truncated gzip WARC.
        var good = File.ReadAllBytes(Path.Combine(crawl, "part-00.warc.gz"));
        File.WriteAllBytes(Path.Combine(crawl, "truncated.warc.gz"), good[..(good.Length / 2)]);

        // Invalid UTF-8 in a JSONL corpus.
        File.WriteAllBytes(Path.Combine(crawl, "docs.jsonl"), [.. "{\"text\": \"valid line of text\"}\n"u8, 0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A]);

        // A 100 MB single-line page, and a decompression bomb.
        using (var stream = File.Create(Path.Combine(crawl, "huge.warc.gz")))
        using (var warc = new WarcWriter(stream))
        {
            var page = new byte[100 * 1024 * 1024];
            Array.Fill(page, (byte)'a');
            "<html><body><p>"u8.CopyTo(page);
            warc.WriteResponse("00000000-0000-0000-0000-000000000001", date, "https://huge.example/", 200, "text/html", page);
        }

        using (var file = File.Create(Path.Combine(crawl, "bomb.warc.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.ASCII.GetBytes("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 107374182400\r\n\r\n"));
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 300; i++)
            {
                gzip.Write(zeros);
            }
        }

        // A page nested 100,000 elements deep.
        var pages = Path.Combine(directory.Path, "pages");
        Directory.CreateDirectory(pages);
        File.WriteAllText(Path.Combine(pages, "deep.html"), "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "ransomware CVE-2024-3400 exploit</body></html>");
        var settings = CorpusConfig.Load(config);
        settings.Inputs.Add(new InputConfig { Path = pages });
        settings.Extract.TimeBudgetSeconds = 1;
        var runner = new CorpusRunner(settings, directory.File("out"));

        await runner.RunAsync(cancellationToken: Token);

        var stats = runner.Stats!;
        var reasons = stats.FailureExamples.Select(f => $"{f.Location}: {f.Reason}").ToList();
        Assert.Contains(reasons, r => r.StartsWith("truncated.warc.gz", StringComparison.Ordinal) && r.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("docs.jsonl:2", StringComparison.Ordinal) && r.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("huge.warc.gz", StringComparison.Ordinal) && r.Contains("over the 16 MiB limit", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("bomb.warc.gz", StringComparison.Ordinal) && r.Contains("decompression bomb", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("deep.html", StringComparison.Ordinal) && r.Contains("nests elements about 100,002 deep", StringComparison.Ordinal));
        Assert.Equal(5, stats.RecordsFailed);
        Assert.True(stats.Documents > 20, "the good inputs still made documents");

        // Failures are counted by their code, and each example keeps its whole message.
        Assert.Equal(
            new Dictionary<string, long> { ["extract-nesting"] = 1, ["invalid-utf8"] = 1, ["record-too-large"] = 1, ["too-large-to-skip"] = 1, ["truncated"] = 1 },
            stats.Failures.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Contains(stats.FailureExamples, f => f.Code == "record-too-large" && f.Reason.Contains(" bytes, over the 16 MiB limit", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.Path, "out", "stats.json")));
        Assert.Equal(5, json.RootElement.GetProperty("records_failed").GetInt64());
    }
}
