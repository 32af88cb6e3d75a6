using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class AlignCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string LabelledPairs => Path.Combine(RepositoryPaths.Root, "samples", "alignment", "labelled-pairs.jsonl");

    [Fact]
    public async Task Run_on_the_sample_writes_every_output_and_a_report_that_renders()
    {
        using var directory = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "alpaca", "--output", "run");
        Assert.True(code == 0, error);
        Assert.Contains("320 records", output, StringComparison.Ordinal);
        foreach (var file in new[] { "aligned.jsonl", "chat.jsonl", "decisions.jsonl", "rejected.jsonl", "stats.json", "report.html", "report.md" })
        {
            Assert.True(File.Exists(directory.File("run/" + file)), file);
        }

        using var stats = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("run/stats.json"), Token));
        Assert.Equal(320, stats.RootElement.GetProperty("records").GetInt32());
        Assert.Equal(1.0, stats.RootElement.GetProperty("min_entity_retention").GetDouble());

        var (triaged, triageOutput, triageError) = await CliHarness.RunAsync(directory.Path, "align", "triage", "--labels", LabelledPairs, "--json");
        Assert.True(triaged == 0, triageError);
        var accuracy = JsonNode.Parse(triageOutput)!["builtin (5-fold cross-validated)"]!["label_accuracy"]!.GetValue<double>();
        Assert.True(accuracy >= 0.9, $"cross-validated accuracy {accuracy}");

        Assert.SkipWhen(HeadlessChromium.Executable is null, "Chromium is not installed (.ci/run installs the Debian package chromium)");
        await using var browser = await HeadlessChromium.LaunchAsync(Token);
        var page = await browser.RenderAsync(directory.File("run/report.html"), Token);
        Assert.Equal("Safety alignment", page.Title);
        foreach (var text in new[] { "By category", "social-engineering", "Before and after", "Authorisation and scope", "What I can help with instead" })
        {
            Assert.Contains(text, page.VisibleText, StringComparison.Ordinal);
        }

        Assert.True(page.VisibleCharts >= 1);
        Assert.Empty(page.ExternalRequests);
    }

    [Fact]
    public async Task Bad_usage_and_bad_input_exit_with_2_and_name_the_problem()
    {
        using var directory = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", "missing.jsonl", "--format", "alpaca", "--output", "run");
        Assert.Equal(2, code);
        Assert.Contains("missing.jsonl", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "dolly", "--output", "run");
        Assert.Equal(2, code);
        Assert.Contains("unknown format 'dolly'", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "alpaca", "--mode", "model", "--output", "run");
        Assert.Equal(2, code);
        Assert.Contains("--rewriter", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "alpaca", "--field", "prompt", "--output", "run");
        Assert.Equal(2, code);
        Assert.Contains("NAME=COLUMN", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "sharegpt", "--output", "wrong-format");
        Assert.Equal(2, code);
        Assert.Contains("can be read as sharegpt", error, StringComparison.Ordinal);
        Assert.Contains("field 'conversations'", error, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(directory.Path, "align", "run", "--input", LabelledPairs, "--format", "alpaca", "--output", "wrong-format", "--no-embedding");
        Assert.True(code == 0, error);
        var (help, helpOutput, _) = await CliHarness.RunAsync(directory.Path, "align", "run", "--help");
        Assert.Equal(0, help);
        Assert.Contains("--format", helpOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_mid_run_the_rerun_loses_and_repeats_nothing()
    {
        using var directory = new TempDirectory();
        var source = File.ReadLines(LabelledPairs).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
        await using (var writer = new StreamWriter(directory.File("big.jsonl")))
        {
            for (var i = 0; i < 30_000; i++)
            {
                var record = (JsonObject)source[i % source.Count].DeepClone();
                record["id"] = "r" + i;
                record["instruction"] = (string)record["instruction"]! + $" (case {i})";
                await writer.WriteLineAsync(record.ToJsonString());
            }
        }

        string[] arguments = ["align", "run", "--input", "big.jsonl", "--format", "alpaca", "--no-embedding", "--concurrency", "1"];
        var journal = directory.File("killed/.work/journal.jsonl");
        using (var process = CliProcess.Start([.. arguments, "--output", "killed"], directory.Path))
        {
            var watch = Stopwatch.StartNew();
            while (!File.Exists(journal) || new FileInfo(journal).Length == 0)
            {
                Assert.False(process.HasExited, "the run ended before it could be killed");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "nothing was journalled");
                await Task.Delay(5, Token);
            }

            process.Kill();
            await process.WaitForExitAsync(Token);
        }

        var journalled = File.ReadLines(journal).Count();
        Assert.InRange(journalled, 1, 29_999);
        Assert.False(File.Exists(directory.File("killed/aligned.jsonl")));

        var resumed = await CliProcess.RunAsync([.. arguments, "--output", "killed"], directory.Path, cancellationToken: Token);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var indexes = File.ReadLines(journal).Select(l => JsonNode.Parse(l)!["index"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(0, 30_000).Select(i => (long)i), indexes);

        var whole = await CliProcess.RunAsync([.. arguments, "--output", "whole"], directory.Path, cancellationToken: Token);
        Assert.True(whole.ExitCode == 0, whole.Error);
        foreach (var file in new[] { "aligned.jsonl", "chat.jsonl", "decisions.jsonl", "stats.json" })
        {
            Assert.True(File.ReadAllBytes(directory.File("whole/" + file)).AsSpan().SequenceEqual(File.ReadAllBytes(directory.File("killed/" + file))), file);
        }
    }
}
