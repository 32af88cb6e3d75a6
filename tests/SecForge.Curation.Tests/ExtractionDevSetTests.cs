using SecForge.Curation.Extraction;
using SecForge.Testing;

namespace SecForge.Curation.Tests;

/// <summary>Extraction quality on the trafilatura evaluation pages in ../shared/data/extraction-dev, scored as its authors do.</summary>
public sealed class ExtractionDevSetTests
{
    [Fact]
    public void F1_OnTheDevSet_IsAtLeast092()
    {
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev");
        Assert.SkipWhen(folder is null, "../shared/data/extraction-dev is absent: the extraction benchmark cannot run here");
        var gold = ExtractionScorer.ReadGold(Path.Combine(folder!, "evaldata.json"));
        var extractor = new HtmlExtractor();
        var total = ExtractionScore.Zero;
        var results = new ExtractionScore[gold.Count];
        Parallel.For(0, gold.Count, i =>
        {
            var html = HtmlDecoder.Decode(File.ReadAllBytes(Path.Combine(folder!, "html", gold[i].File))).Text;
            results[i] = ExtractionScorer.Score(gold[i], extractor.Extract(html).Text);
        });
        foreach (var score in results)
        {
            total += score;
        }

        TestContext.Current.SendDiagnosticMessage($"extraction-dev: {gold.Count} pages, precision {total.Precision:0.0000}, recall {total.Recall:0.0000}, F1 {total.F1:0.0000}, accuracy {total.Accuracy:0.0000}");
        Assert.Equal(300, gold.Count);
        Assert.True(total.F1 >= 0.92, $"F1 {total.F1:0.0000} (precision {total.Precision:0.0000}, recall {total.Recall:0.0000}) is below 0.92");
    }

    [Fact]
    public void Scorer_CollapsesWhitespaceAndCountsBothLists()
    {
        var page = new GoldPage("u", "f.html", ["alpha  beta\ngamma", "missing text"], ["footer junk", "absent"]);
        var score = ExtractionScorer.Score(page, "intro alpha beta   gamma outro\nfooter\tjunk");
        Assert.Equal(new ExtractionScore(1, 1, 1, 1), score);
        Assert.Equal(0.5, score.Precision);
        Assert.Equal(0.5, score.Recall);
    }
}
