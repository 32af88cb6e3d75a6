using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Tests;

/// <summary>
/// `eval score` on CTIBench's published per-model answers in the format sample. The expected figures were
/// counted by hand from the TSVs (agreeing cells / rows); VSP's deviations were computed with the npm
/// ae-cvss-calculator; TAA's by walking the alias and related graphs.
/// </summary>
public sealed class ReferenceAnswerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<IReadOnlyDictionary<string, TaskResult>> ScoreAsync(string task, string file)
    {
        var path = Path.Combine(BenchmarkSamples.Folder!, "ctibench", "reference_responses", file);
        var result = await ResponseFileScorer.ScoreAsync(BuiltinTasks.Find(task)!, BenchmarkSamples.Files, path, cancellationToken: Token);
        return result.Models;
    }

    [Fact]
    public async Task Mcq_Accuracies()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var models = await ScoreAsync("ctibench-mcq", "cti-mcq-responses.tsv");
        // Of 15 rows: GPT-3.5 11, GPT-4 10, Gemini 8, Llama-3-70B 10, Llama-3-8B 10 agree with GT.
        Assert.Equal(11 / 15.0, models["ChatGPT-3.5"].Metrics["accuracy"], 6);
        Assert.Equal(10 / 15.0, models["ChatGPT-4"].Metrics["accuracy"], 6);
        Assert.Equal(8 / 15.0, models["Gemini-1.5"].Metrics["accuracy"], 6);
        Assert.Equal(10 / 15.0, models["LLAMA3-70B"].Metrics["accuracy"], 6);
        Assert.Equal(10 / 15.0, models["LLAMA3-8B"].Metrics["accuracy"], 6);
    }

    [Fact]
    public async Task Rcm_Accuracies()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var models = await ScoreAsync("ctibench-rcm", "cti-rcm-responses.tsv");
        Assert.Equal(9 / 15.0, models["ChatGPT-3.5"].Metrics["accuracy"], 6);
        Assert.Equal(10 / 15.0, models["ChatGPT-4"].Metrics["accuracy"], 6);
        Assert.Equal(5 / 15.0, models["LLAMA3-8B"].Metrics["accuracy"], 6);
        var y2021 = await ScoreAsync("ctibench-rcm-2021", "cti-rcm-2021-responses.tsv");
        // CWE-20, 22, 79, 522, 119, 89 match for GPT-3.5: 6 of 10.
        Assert.Equal(0.6, y2021["ChatGPT-3.5"].Metrics["accuracy"], 6);
    }

    [Fact]
    public async Task Vsp_MeanAbsoluteDeviation()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var models = await ScoreAsync("ctibench-vsp", "cti-vsp-responses.tsv");
        Assert.Equal(1.2733, models["ChatGPT-3.5"].Metrics["mad"], 4);
        Assert.Equal(1.7400, models["ChatGPT-4"].Metrics["mad"], 4);
        Assert.Equal(1.0267, models["Gemini-1.5"].Metrics["mad"], 4);
        Assert.Equal(1.9267, models["LLAMA3-70B"].Metrics["mad"], 4);
        Assert.Equal(2.3733, models["LLAMA3-8B"].Metrics["mad"], 4);
    }

    [Fact]
    public async Task Taa_CorrectAndPlausible()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var models = await ScoreAsync("ctibench-taa", "cti-taa-responses.tsv");
        // As CTIBench's notebook scores them: GPT-4: Emotet→Mummy Spider and Dark Caracal are aliases (2/5); APT36→SideCopy
        // and APT41→Mustang Panda are linked through related groups, so all five are plausible. Llama-3-70B's APT37 for
        // Dark Caracal is plausible through the "nan" related-group node the notebook's graphs share.
        Assert.Equal(0.4, models["ChatGPT-4"].Metrics["correct"], 6);
        Assert.Equal(1.0, models["ChatGPT-4"].Metrics["plausible"], 6);
        Assert.Equal(0.0, models["ChatGPT-3.5"].Metrics["correct"], 6);
        Assert.Equal(0.2, models["ChatGPT-3.5"].Metrics["plausible"], 6);
        Assert.Equal(0.2, models["Gemini-1.5"].Metrics["correct"], 6);
        Assert.Equal(0.8, models["Gemini-1.5"].Metrics["plausible"], 6);
        Assert.Equal(0.0, models["LLAMA3-70B"].Metrics["correct"], 6);
        Assert.Equal(0.6, models["LLAMA3-70B"].Metrics["plausible"], 6);
        Assert.Equal(0.2, models["LLAMA3-8B"].Metrics["plausible"], 6);
    }
}
