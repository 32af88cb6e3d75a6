using System.Globalization;
using System.Text;
using SecForge.Curation.Extraction;
using SecForge.Curation.Samples;
using SecForge.Curation.Writers;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `pipeline-crawl DIR [copies] [workers]`: writes the input of the whole-pipeline benchmark (corpus-pipeline.sh):
/// Common Crawl style WARC.gz files holding the 300 real extraction-dev pages <c>copies</c> times (distinct URLs,
/// so extraction, language and lexicon run on each) and ten seeds of the sample crawl (security pages that go through
/// every stage), plus a corpus.yaml with the classifier off (the embedding stage is measured separately).
/// </summary>
public static class PipelineCrawl
{
    public static int Write(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: pipeline-crawl DIR [copies=3] [workers=1]");
            return 2;
        }

        var directory = Path.GetFullPath(args[0]);
        var copies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev");
        if (folder is null)
        {
            Console.Error.WriteLine("../shared/data/extraction-dev is absent (set SECFORGE_SHARED_DATA)");
            return 2;
        }

        Directory.CreateDirectory(Path.Combine(directory, "crawl"));
        var gold = ExtractionScorer.ReadGold(Path.Combine(folder, "evaldata.json"));
        var pages = new List<(string Url, byte[] Body)>();
        for (var copy = 0; copy < copies; copy++)
        {
            pages.AddRange(gold.Select(g => ($"{g.Url}{(g.Url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}copy={copy}", File.ReadAllBytes(Path.Combine(folder, "html", g.File)))));
        }

        for (var seed = 1; seed <= 10; seed++)
        {
            pages.AddRange(SampleCrawlGenerator.Pages(seed).Select(p => ($"{p.Url}#s{seed}", Encoding.UTF8.GetBytes(p.Html))));
        }

        const int Files = 8;
        long raw = 0;
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var file = 0; file < Files; file++)
        {
            using var stream = File.Create(Path.Combine(directory, "crawl", $"part-{file:D2}.warc.gz"));
            using var warc = new WarcWriter(stream);
            for (var i = file; i < pages.Count; i += Files)
            {
                var (url, body) = pages[i];
                warc.WriteRequest($"<urn:uuid:{Guid.CreateVersion7()}>", time, url);
                warc.WriteResponse($"<urn:uuid:{Guid.CreateVersion7()}>", time, url, 200, "text/html", body);
                raw += body.Length;
            }
        }

        File.WriteAllText(Path.Combine(directory, "corpus.yaml"), $"""
            # Whole-pipeline benchmark (benchmarks/corpus-pipeline.sh); the classifier is off: its cost is measured by `embed`.
            inputs:
              - path: crawl
            seed: 1
            workers: {workers}
            files_per_shard: 1
            relevance:
              classifier: off
            tokenize:
              tokenizer: o200k_base
              sequence_length: 4096
            """);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {pages.Count:N0} pages, {raw / 1e6:0.0} MB of HTML, in {Files} WARC.gz files under {directory}"));
        return 0;
    }
}
