using System.Diagnostics;
using System.Globalization;
using SecForge.Curation.Extraction;
using SecForge.Curation.Relevance;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `embed`: the relevance classifier's cost, per document, for several chunk sizes (texts run through MiniLM at
/// once), on extracted extraction-dev texts cut to the classifier's 1,500 characters; prints ms/document and the
/// process's peak working set after each size.
/// </summary>
public static class EmbeddingScenario
{
    public static int Run()
    {
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev");
        if (folder is null)
        {
            Console.Error.WriteLine("../shared/data/extraction-dev is absent (set SECFORGE_SHARED_DATA)");
            return 2;
        }

        var extractor = new HtmlExtractor();
        var texts = Directory.EnumerateFiles(Path.Combine(folder, "html")).Order(StringComparer.Ordinal).Take(128)
            .Select(f => extractor.Extract(HtmlDecoder.Decode(File.ReadAllBytes(f)).Text).Text)
            .Where(t => t.Length > 200).ToArray();
        var classifier = RelevanceClassifier.Default;
        classifier.Score(texts.Take(4).ToArray());
        foreach (var chunk in new[] { 1, 4, 16, 64 })
        {
            SentenceEmbedder.ChunkSize = chunk;
            var watch = Stopwatch.StartNew();
            classifier.Score(texts);
            var perDocument = watch.Elapsed.TotalMilliseconds / texts.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"chunk {chunk,3}: {perDocument,6:0.0} ms/document ({1000 / perDocument:0.0} documents/s) over {texts.Length} documents; peak working set so far {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MB"));
        }

        return 0;
    }
}
