using System.Text.Json;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class CrawlCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Crawl_a_loopback_site_then_run_the_corpus_pipeline_on_its_warc()
    {
        await using var site = await LoopbackSite.StartAsync(LoopbackSite.Generate(30, 60), Token);
        using var temp = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(temp.Path, "crawl", site.BaseUri.AbsoluteUri, "--output", "crawl", "--max-pages", "40", "--allow-private", "--delay-ms", "0", "--per-host", "4", "--json");
        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal(40, summary.GetProperty("fetched").GetInt32());
        Assert.True(summary.GetProperty("relevant").GetInt32() > 10);
        var warc = summary.GetProperty("warc_files")[0].GetString()!;

        File.WriteAllText(temp.File("corpus.yaml"), $"inputs:\n  - path: crawl/{warc}\nrelevance:\n  classifier: off\n");
        (code, output, error) = await CliHarness.RunAsync(temp.Path, "corpus", "run", "--config", "corpus.yaml", "--output", "corpus", "--workers", "1");
        Assert.True(code == 0, error + output);
        var stats = JsonDocument.Parse(File.ReadAllText(temp.File("corpus/stats.json"))).RootElement;
        Assert.Equal(40, stats.GetProperty("pages").GetInt32());

        // The crawler judges relevance with the corpus lexicon at the same thresholds, on the same extracted text.
        var lexicon = stats.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "lexicon");
        Assert.Equal(40, lexicon.GetProperty("documents_in").GetInt32());
        Assert.Equal(summary.GetProperty("relevant").GetInt32(), lexicon.GetProperty("documents_out").GetInt32());
    }

    [Fact]
    public async Task Without_a_seed_or_with_a_bad_one_it_is_a_one_line_usage_error()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(temp.Path, "crawl", "--output", "crawl");
        Assert.Equal(2, code);
        Assert.Contains("at least one seed", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(temp.Path, "crawl", "ftp://example.org/", "--output", "crawl");
        Assert.Equal(2, code);
        Assert.Contains("is not an http(s) URL", error, StringComparison.Ordinal);
    }
}
