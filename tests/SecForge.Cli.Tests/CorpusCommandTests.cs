using System.Diagnostics;
using System.Text.Json;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class CorpusCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledMidRun_TheRerunsOutputIsByteIdenticalToAnUninterruptedRun()
    {
        using var directory = new TempDirectory();
        var config = SampleCorpus.Write(directory.Path, files: 16);
        var clean = await CliProcess.RunAsync(["corpus", "run", "--config", config, "--output", "clean", "--workers", "1"], directory.Path, cancellationToken: Token);
        Assert.True(clean.ExitCode == 0, clean.Error);

        var interrupted = directory.File("interrupted");
        var stage1 = Path.Combine(interrupted, "work", "stage1");
        using (var process = CliProcess.Start(["corpus", "run", "--config", config, "--output", "interrupted", "--workers", "1"], directory.Path))
        {
            var watch = Stopwatch.StartNew();
            while (!(Directory.Exists(stage1) && Directory.GetFiles(stage1, "*.done.json").Length >= 3))
            {
                Assert.False(process.HasExited, "the run ended before it could be interrupted");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "no shard finished");
                await Task.Delay(10, Token);
            }

            process.Kill();
            await process.WaitForExitAsync(Token);
        }

        Assert.False(File.Exists(Path.Combine(interrupted, "_SUCCESS")), "the kill came after the run finished");
        var done = Directory.GetFiles(stage1, "*.done.json").Length;
        Assert.InRange(done, 3, 15);

        var resumed = await CliProcess.RunAsync(["corpus", "run", "--config", config, "--output", "interrupted", "--workers", "1"], directory.Path, cancellationToken: Token);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        var a = SampleCorpus.Outputs(directory.File("clean"));
        var b = SampleCorpus.Outputs(interrupted);
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        Assert.All(a, pair => Assert.True(pair.Value.AsSpan().SequenceEqual(b[pair.Key]), $"{pair.Key} differs after the interrupted run resumed"));
        Assert.Empty(Directory.EnumerateFiles(interrupted, ".*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Run_OnTheBundledSample_WritesAReportAndShards()
    {
        using var directory = new TempDirectory();
        var config = Path.Combine(RepositoryPaths.Root, "samples", "corpus", "corpus.yaml");
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "corpus", "run", "--config", config, "--output", "out");

        Assert.True(code == 0, error);
        Assert.Matches(@"lexicon\s+\d+\s+\d+", output);
        Assert.Contains("report:", output, StringComparison.Ordinal);
        var (inspectCode, inspection, _) = await CliHarness.RunAsync(directory.Path, "corpus", "inspect", "out", "--json");
        Assert.Equal(0, inspectCode);
        using var json = JsonDocument.Parse(inspection);
        Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
        Assert.True(json.RootElement.GetProperty("documents").GetInt64() > 50);
    }

    [Fact]
    public async Task Report_RendersInHeadlessChromium()
    {
        Assert.SkipWhen(HeadlessChromium.Executable is null, "Chromium is not installed (.ci/run installs the Debian package chromium)");
        using var directory = new TempDirectory();
        var config = SampleCorpus.Write(directory.Path, files: 2);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "corpus", "run", "--config", config, "--output", "out");
        Assert.True(code == 0, error);

        await using var browser = await HeadlessChromium.LaunchAsync(Token);
        var page = await browser.RenderAsync(directory.File("out/report.html"), Token);

        Assert.Equal("Corpus run", page.Title);
        foreach (var heading in new[] { "Funnel", "Drop reasons", "Languages", "Lengths and tokens", "Top domains", "Scrubbing", "relevance:lexicon", "dedup:near", "[AWS_ACCESS_KEY_ID]" })
        {
            Assert.Contains(heading, page.VisibleText, StringComparison.Ordinal);
        }

        Assert.True(page.VisibleCharts >= 4, $"{page.VisibleCharts} charts drawn");
        Assert.Empty(page.ExternalRequests);
    }

    [Fact]
    public async Task Extract_WritesOneJsonObjectPerPage()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.File("pages"));
        await File.WriteAllTextAsync(directory.File("pages/a.html"), "<html><body><nav>Menu Home About</nav><article><h1>Patch Tuesday</h1><p>Microsoft fixed 61 vulnerabilities this month, including two zero-days exploited in the wild against Windows users.</p></article></body></html>", Token);
        await File.WriteAllTextAsync(directory.File("pages/b.htm"), "<html><body><p>Second page with enough words to be kept as the main content of this small test page.</p></body></html>", Token);

        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "corpus", "extract", "pages", "--output", "extracted.jsonl");

        Assert.True(code == 0, error);
        Assert.Contains("extracted 2 of 2 pages", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(directory.File("extracted.jsonl"), Token);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("pages/a.html", first.RootElement.GetProperty("path").GetString());
        Assert.Contains("two zero-days exploited", first.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Menu Home", first.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfig_IsABadInputNamingTheField()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("corpus.yaml"), "inputs:\n  - path: nowhere\n", Token);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "corpus", "run", "--config", "corpus.yaml", "--output", "out");
        Assert.Equal(2, code);
        Assert.Contains("field 'inputs[0].path'", error, StringComparison.Ordinal);
        Assert.Contains("input not found", error, StringComparison.Ordinal);
    }
}
