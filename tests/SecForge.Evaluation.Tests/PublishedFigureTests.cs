using SecForge.Evaluation.Data;
using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Tests;

/// <summary>
/// The published figures the README quotes, re-scored from the benchmarks' full published answer files. Those files
/// cannot ship with SecForge (CTIBench is CC BY-NC-SA): point <c>SECFORGE_BENCHMARK_DATA</c> at a folder holding them
/// (CTIBench's <c>evaluation/responses/</c> and its alias and related-group dictionaries converted to JSON).
/// </summary>
public sealed class PublishedFigureTests
{
    private static string? Folder => Environment.GetEnvironmentVariable("SECFORGE_BENCHMARK_DATA") is { Length: > 0 } path && Directory.Exists(path) ? path : null;

    private const string Missing = "SECFORGE_BENCHMARK_DATA does not name a folder with the full published answer files (they cannot ship with SecForge)";

    [Fact]
    public async Task CtiBenchTaa_AsTheBenchmarksNotebookReportsIt()
    {
        Assert.SkipWhen(Folder is null, Missing);
        var files = new BenchmarkFiles(Folder!);
        var responses = files.Find("cti-taa-responses.tsv");
        Assert.SkipWhen(responses is null, "cti-taa-responses.tsv is not under SECFORGE_BENCHMARK_DATA");
        var result = await ResponseFileScorer.ScoreAsync(BuiltinTasks.Find("ctibench-taa")!, files, responses!, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(50, result.Samples);

        // CTIBench's evaluation notebook prints (52.0, 86.0) for GPT-4; the other columns are what the notebook's
        // functions give on the same file.
        var expected = new Dictionary<string, (double Correct, double Plausible)>
        {
            ["ChatGPT-3.5"] = (0.44, 0.62),
            ["ChatGPT-4"] = (0.52, 0.86),
            ["Gemini-1.5"] = (0.38, 0.74),
            ["LLAMA3-70B"] = (0.52, 0.80),
            ["LLAMA3-8B"] = (0.28, 0.36),
        };
        foreach (var (model, (correct, plausible)) in expected)
        {
            Assert.Equal(correct, result.Models[model].Metrics["correct"], 6);
            Assert.Equal(plausible, result.Models[model].Metrics["plausible"], 6);
        }
    }
}
