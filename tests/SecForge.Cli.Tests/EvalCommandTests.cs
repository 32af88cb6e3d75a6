using System.Diagnostics;
using System.Text.Json;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class EvalCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string? Samples => RepositoryPaths.SharedDataFolder("benchmark-samples");

    private const string NoSamples = "../shared/data/benchmark-samples is absent: the real benchmark files' formats cannot be checked here";

    /// <summary>Project-written files in the benchmarks' formats, for behaviour tests.</summary>
    private static string Fixtures => BenchmarkFixtures.Folder;

    /// <summary>Answers CyberMetric and CTIBench MCQ prompts: "ANSWER: B" / a last line "B".</summary>
    private static ScriptedReply AlwaysB(LoopbackRequest request) =>
        new(request.Messages[^1].Content.Contains("ANSWER: X", StringComparison.Ordinal) ? "ANSWER: B" : "Thinking it over.\nB");

    [Fact]
    public async Task Tasks_WithData_ListsEachTaskFoundWithItsItemCount()
    {
        Assert.SkipWhen(Samples is null, NoSamples);
        using var directory = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "eval", "tasks", "--data", Samples!, "--json");
        Assert.True(code == 0, error);
        var listed = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!, t => t.Clone());
        var tasks = listed.Where(t => t.Value.TryGetProperty("samples", out _)).ToDictionary(t => t.Key, t => t.Value.GetProperty("samples").GetInt32());
        Assert.Equal(15, tasks["ctibench-mcq"]);
        // The samples hold one MMLU subject of 57: the whole-MMLU task says which files it misses instead of a count.
        Assert.Contains("needs every subject's test file", listed["mmlu"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, tasks["cybermetric-80"]);
        Assert.Equal(2, tasks["sevenllm-mcq"]);
        Assert.False(tasks.ContainsKey("cybermetric-500"));

        var (listCode, list, _) = await CliHarness.RunAsync(directory.Path, "eval", "tasks");
        Assert.Equal(0, listCode);
        Assert.Contains("secure-cpst", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AgainstALoopbackServer_WritesLogResultsAndAReportThatRenders()
    {
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = AlwaysB;
        using var directory = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", server.Spec(), "--tasks", "ctibench-mcq,cybermetric-80", "--data", Fixtures, "--output", "run", "--trials", "2");

        Assert.True(code == 0, error);
        Assert.Contains("ctibench-mcq", output, StringComparison.Ordinal);
        Assert.Equal(50, (await File.ReadAllLinesAsync(directory.File("run/log.jsonl"), Token)).Length);
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("run/results.json"), Token));
        var tasks = results.RootElement.GetProperty("tasks");
        // "B" is the gold answer of 4 of the 15 CTIBench items and 3 of the 10 CyberMetric items.
        Assert.Equal(4 / 15.0, tasks.GetProperty("ctibench-mcq").GetProperty("metrics").GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(0.3, tasks.GetProperty("cybermetric-80").GetProperty("metrics").GetProperty("accuracy").GetDouble(), 6);

        Assert.SkipWhen(HeadlessChromium.Executable is null, "Chromium is not installed (.ci/run installs the Debian package chromium)");
        await using var browser = await HeadlessChromium.LaunchAsync(Token);
        var page = await browser.RenderAsync(directory.File("run/report.html"), Token);
        Assert.StartsWith("Evaluation:", page.Title, StringComparison.Ordinal);
        foreach (var text in new[] { "Results", "ctibench-mcq", "cybermetric-80", "accuracy", "95% CI", "0.267", "0.300" })
        {
            Assert.Contains(text, page.VisibleText, StringComparison.Ordinal);
        }

        Assert.True(page.VisibleCharts >= 1);
        Assert.Empty(page.ExternalRequests);
    }

    [Fact]
    public async Task Run_AgainstTheTinyGguf_EndToEnd()
    {
        using var directory = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", TinyModel.Spec, "--tasks", "cybermetric-80", "--data", Fixtures, "--output", "tiny", "--limit", "2", "--max-tokens", "6", "--concurrency", "1");
        Assert.True(code == 0, error);
        Assert.Equal(2, (await File.ReadAllLinesAsync(directory.File("tiny/log.jsonl"), Token)).Length);
        Assert.True(File.Exists(directory.File("tiny/report.html")));
    }

    [Fact]
    public async Task KilledMidRun_TheRerunScoresEveryItemOnce_AndAnIdenticalRunIsAllCacheHits()
    {
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = AlwaysB;
        server.Latency = TimeSpan.FromMilliseconds(40);
        using var directory = new TempDirectory();
        string[] arguments = ["eval", "run", "--model", server.Spec(), "--tasks", "cybermetric-80,ctibench-mcq", "--data", Fixtures, "--trials", "3", "--concurrency", "2"];
        var log = directory.File("killed/log.jsonl");
        using (var process = CliProcess.Start([.. arguments, "--output", "killed"], directory.Path))
        {
            var watch = Stopwatch.StartNew();
            while (!File.Exists(log) || File.ReadAllLines(log).Length < 12)
            {
                Assert.False(process.HasExited, "the run ended before it could be killed");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "nothing was logged");
                await Task.Delay(10, Token);
            }

            process.Kill();
            await process.WaitForExitAsync(Token);
        }

        var logged = File.ReadAllLines(log).Length;
        Assert.InRange(logged, 12, 74);
        Assert.False(File.Exists(directory.File("killed/results.json")));

        var resumed = await CliProcess.RunAsync([.. arguments, "--output", "killed", "--json"], directory.Path, cancellationToken: Token);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var keys = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).Select(e => $"{e.GetProperty("task")}/{e.GetProperty("sample")}/{e.GetProperty("trial")}").ToList();
        Assert.Equal(75, keys.Count);
        Assert.Equal(75, keys.Distinct().Count());
        using (var results = JsonDocument.Parse(resumed.Output))
        {
            Assert.Equal(45, results.RootElement.GetProperty("tasks").GetProperty("ctibench-mcq").GetProperty("scored").GetInt32());
        }

        // The same run into a fresh directory: every request is served from the cache (.secforge/cache.sqlite here).
        var identical = await CliProcess.RunAsync([.. arguments, "--output", "identical", "--json"], directory.Path, cancellationToken: Token);
        Assert.True(identical.ExitCode == 0, identical.Error);
        using var again = JsonDocument.Parse(identical.Output);
        var usage = again.RootElement.GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("calls").GetInt64());
        Assert.Equal(75, usage.GetProperty("cache_hits").GetInt64());
    }

    [Fact]
    public async Task Score_ThePublishedCtiBenchAnswers_PerModelColumn()
    {
        using var directory = new TempDirectory();
        var responses = Path.Combine(Fixtures, "ctibench", "cti-mcq-responses.tsv");
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "eval", "score", "--task", "ctibench-mcq", "--data", Fixtures, "--responses", responses, "--json");
        Assert.True(code == 0, error);
        var models = JsonDocument.Parse(output).RootElement.GetProperty("models");
        // ModelA agrees with GT on the 8 odd rows; ModelB on all but the "X" of row 4.
        Assert.Equal(8 / 15.0, models.GetProperty("ModelA").GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(14 / 15.0, models.GetProperty("ModelB").GetProperty("accuracy").GetDouble(), 6);

        var (tableCode, table, _) = await CliHarness.RunAsync(directory.Path, "eval", "score", "--task", "ctibench-taa", "--data", Fixtures, "--responses", Path.Combine(Fixtures, "ctibench", "cti-taa-responses.tsv"), "--json");
        Assert.Equal(0, tableCode);
        // ModelA: Bronze President and Emotet are aliases and Dark Caracal is named, APT36 and APT41 are related groups:
        // 3 of 5 correct, all plausible. ModelB: Mustang Panda correct, APT41 related, APT37 related through "nan".
        var taa = JsonDocument.Parse(table).RootElement.GetProperty("models");
        Assert.Equal(0.6, taa.GetProperty("ModelA").GetProperty("correct").GetDouble(), 6);
        Assert.Equal(1.0, taa.GetProperty("ModelA").GetProperty("plausible").GetDouble(), 6);
        Assert.Equal(0.2, taa.GetProperty("ModelB").GetProperty("correct").GetDouble(), 6);
        Assert.Equal(0.6, taa.GetProperty("ModelB").GetProperty("plausible").GetDouble(), 6);
    }

    [Fact]
    public async Task Compare_PutsRunsSideBySide_WithDeltas()
    {
        await using var server = await LoopbackModelServer.StartAsync(Token);
        using var directory = new TempDirectory();
        server.Responder = AlwaysB;
        Assert.Equal(0, (await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", server.Spec("always-b"), "--tasks", "cybermetric-80", "--data", Fixtures, "--output", "b")).ExitCode);
        server.Responder = _ => new ScriptedReply("ANSWER: D");
        Assert.Equal(0, (await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", server.Spec("always-d"), "--tasks", "cybermetric-80", "--data", Fixtures, "--output", "d")).ExitCode);

        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "eval", "compare", "b", "d", "--output", "compare.html");
        Assert.True(code == 0, error);
        Assert.Contains("cybermetric-80", output, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(directory.File("compare.md"), Token);
        Assert.Contains("Δ vs b", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(directory.File("compare.html")));
    }

    [Fact]
    public async Task BadInput_IsExitCode2_NamingTheProblem()
    {
        using var directory = new TempDirectory();
        var (unknown, _, unknownError) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", "openai:x@http://127.0.0.1:9/v1", "--tasks", "no-such-task", "--output", "o");
        Assert.Equal(2, unknown);
        Assert.Contains("no-such-task", unknownError, StringComparison.Ordinal);

        Directory.CreateDirectory(directory.File("data"));
        await File.WriteAllTextAsync(directory.File("data/CyberMetric-80-v1.json"), "{\"items\": [{\"question\": \"q\", \"answers\": {\"A\": \"a\", \"B\": \"b\", \"C\": \"c\"}, \"solution\": \"A\"}]}", Token);
        var (bad, _, badError) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", "openai:x@http://127.0.0.1:9/v1", "--tasks", "cybermetric-80", "--data", "data", "--output", "o");
        Assert.Equal(2, bad);
        Assert.Contains("CyberMetric-80-v1.json:1: field 'questions'", badError, StringComparison.Ordinal);
    }
}
