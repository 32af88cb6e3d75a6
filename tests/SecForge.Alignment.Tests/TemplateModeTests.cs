using System.Text.Json.Nodes;
using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Evaluation.Scoring;
using SecForge.Testing;

namespace SecForge.Alignment.Tests;

public sealed class TemplateModeTests
{
    private static AlignOptions Options(string input, string output, ITriage triage, DatasetFormat format = DatasetFormat.Alpaca, FieldMap? fields = null) => new()
    {
        Input = input,
        Format = format,
        Fields = fields ?? FieldMap.Default,
        OutputDirectory = output,
        Triage = triage,
        Rewriter = new TemplateRewriter(),
        Verifier = new RewriteVerifier(new LexicalSimilarity()),
        Concurrency = 2,
        ChunkSize = 64,
    };

    [Fact]
    public async Task Every_pair_of_the_labelled_set_is_treated_as_its_class_requires()
    {
        var ct = TestContext.Current.CancellationToken;
        var pairs = AlignmentSamples.Pairs;
        Assert.True(pairs.Count(p => p.Class != TriageClass.Benign) >= 200, "at least 200 pseudo-malicious pairs");
        using var temp = new TempDirectory();
        var stats = await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("run"), new GoldTriage(pairs))).RunAsync(cancellationToken: ct);

        Assert.Equal(pairs.Count, stats.Records);
        Assert.Equal(0, stats.Actions.GetValueOrDefault("rejected"));
        Assert.Equal(pairs.Count, stats.Written);
        var originals = AlignmentSamples.Records;
        var aligned = File.ReadLines(temp.File("run/aligned.jsonl")).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
        Assert.Equal(originals.Count, aligned.Count);
        for (var i = 0; i < originals.Count; i++)
        {
            var before = (string)originals[i]["output"]!;
            var after = (string)aligned[i]["output"]!;
            Assert.Equal((string)originals[i]["instruction"]!, (string)aligned[i]["instruction"]!);
            Assert.Equal((string)originals[i]["id"]!, (string)aligned[i]["id"]!);
            switch (pairs[i].Class)
            {
                case TriageClass.Benign:
                    Assert.Equal(originals[i].ToJsonString(), aligned[i].ToJsonString());
                    break;
                case TriageClass.DualUse:
                    Assert.Empty(SafetyElements.Missing(after));
                    var entities = TechnicalEntities.Extract(before);
                    var kept = entities.Count(e => TechnicalEntities.IsKept(e, after));
                    Assert.True(entities.Count == 0 || kept >= 0.95 * entities.Count, $"{pairs[i].Id}: {kept}/{entities.Count} entities kept");
                    Assert.All(TechnicalEntities.CodeBlocks(before), block => Assert.Contains(block, after, StringComparison.Ordinal));
                    break;
                default:
                    Assert.True(RefusalDetector.IsRefusal(after), $"{pairs[i].Id} is not a refusal: {after}");
                    Assert.True(SafetyElements.HasSafeAlternative(after), $"{pairs[i].Id} offers no safe alternative");
                    Assert.All(TechnicalEntities.CodeBlocks(before), block => Assert.DoesNotContain(block, after, StringComparison.Ordinal));
                    Assert.DoesNotContain(before, after, StringComparison.Ordinal);
                    break;
            }
        }

        var decisions = File.ReadLines(temp.File("run/decisions.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(pairs.Count(p => p.Class == TriageClass.DualUse), decisions.Count(d => (string)d["action"]! == "rewritten"));
        Assert.Equal(pairs.Count(p => p.Class == TriageClass.Harmful), decisions.Count(d => (string)d["action"]! == "refused"));
        Assert.Equal(pairs.Count, File.ReadLines(temp.File("run/chat.jsonl")).Count());
    }

    [Fact]
    public async Task A_rerun_gives_byte_identical_outputs()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var triage = new BuiltinTriage(TriageModel.Default!, useEmbedding: true);
        await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("a"), triage)).RunAsync(cancellationToken: ct);
        await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("b"), triage) with { Concurrency = 1, ChunkSize = 7 }).RunAsync(cancellationToken: ct);
        foreach (var name in new[] { "aligned.jsonl", "chat.jsonl", "decisions.jsonl", "rejected.jsonl", "stats.json", "report.html", "report.md" })
        {
            Assert.Equal(File.ReadAllBytes(temp.File("a/" + name)), File.ReadAllBytes(temp.File("b/" + name)));
        }
    }

    [Fact]
    public async Task The_builtin_triage_drives_the_rewrites_and_every_rewrite_passes_its_checks()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var stats = await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("run"), new BuiltinTriage(TriageModel.Default!))).RunAsync(cancellationToken: ct);
        var decisions = File.ReadLines(temp.File("run/decisions.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var aligned = File.ReadLines(temp.File("run/aligned.jsonl")).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
        Assert.Equal(decisions.Count, aligned.Count);
        for (var i = 0; i < decisions.Count; i++)
        {
            var output = (string)aligned[i]["output"]!;
            switch (TriageClasses.Parse((string?)decisions[i]["triage"]))
            {
                case TriageClass.DualUse:
                    Assert.Equal("rewritten", (string)decisions[i]["action"]!);
                    Assert.Empty(SafetyElements.Missing(output));
                    break;
                case TriageClass.Harmful:
                    Assert.Equal("refused", (string)decisions[i]["action"]!);
                    Assert.True(RefusalDetector.IsRefusal(output));
                    break;
                default:
                    Assert.Equal("kept", (string)decisions[i]["action"]!);
                    break;
            }
        }

        Assert.Equal(stats.Records, stats.Actions.Values.Sum());
        Assert.True(File.Exists(temp.File("run/report.html")));
    }

    [Fact]
    public async Task A_cancelled_run_resumes_without_losing_or_repeating_a_record()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var triage = new GoldTriage(AlignmentSamples.Pairs);
        await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("whole"), triage)).RunAsync(cancellationToken: ct);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new SynchronousProgress(u =>
        {
            if (u.Completed >= 96)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("resumed"), triage) with { ChunkSize = 32 }).RunAsync(progress, cancel.Token));
        var partial = File.ReadLines(temp.File("resumed/.work/journal.jsonl")).Count();
        Assert.InRange(partial, 96, 319);
        File.AppendAllText(temp.File("resumed/.work/journal.jsonl"), "{\"index\":");
        await new AlignRunner(Options(AlignmentSamples.LabelsPath, temp.File("resumed"), triage) with { ChunkSize = 32 }).RunAsync(cancellationToken: ct);
        var indexes = File.ReadLines(temp.File("resumed/.work/journal.jsonl")).Select(l => (long)JsonNode.Parse(l)!["index"]!).ToList();
        Assert.Equal(Enumerable.Range(0, 320).Select(i => (long)i), indexes);
        foreach (var name in new[] { "aligned.jsonl", "chat.jsonl", "decisions.jsonl", "stats.json" })
        {
            Assert.Equal(File.ReadAllText(temp.File("whole/" + name)), File.ReadAllText(temp.File("resumed/" + name)));
        }
    }

    [Fact]
    public async Task A_run_directory_of_another_input_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("one.jsonl"), "{\"instruction\":\"Explain the CIA triad.\",\"input\":\"\",\"output\":\"Confidentiality, integrity and availability.\"}\n");
        File.WriteAllText(temp.File("two.jsonl"), "{\"instruction\":\"What is a SIEM?\",\"input\":\"\",\"output\":\"A log correlation system.\"}\n");
        var triage = new BuiltinTriage(TriageModel.Default!, useEmbedding: false);
        await new AlignRunner(Options(temp.File("one.jsonl"), temp.File("run"), triage)).RunAsync(cancellationToken: ct);
        var error = await Assert.ThrowsAsync<Core.Errors.InputException>(() => new AlignRunner(Options(temp.File("two.jsonl"), temp.File("run"), triage)).RunAsync(cancellationToken: ct));
        Assert.Contains("holds an align run with other settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("one.jsonl\" → \"", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<Core.Progress.ProgressUpdate> report) : IProgress<Core.Progress.ProgressUpdate>
    {
        public void Report(Core.Progress.ProgressUpdate value) => report(value);
    }
}
