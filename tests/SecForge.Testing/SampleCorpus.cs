using System.Text;
using SecForge.Curation.Samples;
using SecForge.Curation.Writers;

namespace SecForge.Testing;

/// <summary>The sample crawl split into several WARC files with a corpus.yaml, for runner and CLI tests.</summary>
public static class SampleCorpus
{
    /// <summary>
    /// Writes the crawl into <paramref name="directory"/>/crawl as <paramref name="files"/> WARC files; returns the
    /// config path. The classifier is off unless <paramref name="extraConfig"/> has its own relevance section.
    /// </summary>
    public static string Write(string directory, int files = 1, string extraConfig = "")
    {
        var crawl = Path.Combine(directory, "crawl");
        Directory.CreateDirectory(crawl);
        var pages = SampleCrawlGenerator.Pages();
        for (var f = 0; f < files; f++)
        {
            using var stream = File.Create(Path.Combine(crawl, $"part-{f:D2}.warc.gz"));
            using var warc = new WarcWriter(stream);
            var date = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = f; i < pages.Count; i += files)
            {
                warc.WriteResponse($"00000000-0000-0000-{f:D4}-{i:D12}", date, pages[i].Url, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(pages[i].Html));
            }
        }

        var config = Path.Combine(directory, "corpus.yaml");
        var relevance = extraConfig.Contains("relevance:", StringComparison.Ordinal) ? "" : "relevance: { classifier: off }";
        File.WriteAllText(config, $$"""
            inputs:
              - path: crawl
            seed: 3
            {{relevance}}
            dedup:
              paragraphs: { bloom_mb: 4 }
            tokenize:
              tokenizer: o200k_base
              sequence_length: 512
            output:
              documents_per_shard: 25
            {{extraConfig}}
            """);
        return config;
    }

    /// <summary>Every output file of a run except its timings and work shards, by relative path.</summary>
    /// <summary>
    /// The files a run produced, by relative path: everything but the work folder, timing.json (seconds and memory),
    /// run.json (when the run was started) and the run lock's dot-files.
    /// </summary>
    public static Dictionary<string, byte[]> Outputs(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "work" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && Path.GetFileName(f) is not ("timing.json" or "run.json")
                && !Path.GetFileName(f).StartsWith(".secforge.lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes, StringComparer.Ordinal);
}
