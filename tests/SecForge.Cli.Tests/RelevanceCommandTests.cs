using System.Text.Json;
using SecForge.Curation.Relevance;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

/// <summary>`corpus label` against a real loopback OpenAI-compatible server, and `corpus train-classifier` on the seed set.</summary>
public sealed class RelevanceCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Label_WritesVerdicts_CountsUnusableReplies_AndARerunSkipsLabelledDocuments()
    {
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = request =>
        {
            var document = request.Messages[^1].Content;
            if (document.Contains("GARBLED", StringComparison.Ordinal))
            {
                return new ScriptedReply("I think this one might be about security, hard to say.");
            }

            var relevant = document.Contains("ransomware", StringComparison.Ordinal) || document.Contains("CVE-", StringComparison.Ordinal);
            return new ScriptedReply($$"""Verdict: {"relevant": {{(relevant ? "true" : "false")}}, "reason": "{{(relevant ? "describes an attack" : "not about security")}}"}""");
        };
        using var directory = new TempDirectory();
        string[] texts =
        [
            "The ransomware group encrypted the hospital's servers after entering through an unpatched VPN.",
            "CVE-2024-3400 is a command injection in the firewall's GlobalProtect gateway.",
            "The striker's late goal won the derby for the home side.",
            "Preheat the oven and bake the bread for forty minutes.",
            "GARBLED document the model will not give a verdict on.",
        ];
        await File.WriteAllLinesAsync(directory.File("docs.jsonl"), texts.Select((t, i) => JsonSerializer.Serialize(new { id = $"d{i}", body = t })), Token);

        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "corpus", "label", "--model", server.Spec(), "--input", "docs.jsonl", "--text-field", "body", "--sample", "0", "--output", "labels.jsonl");

        Assert.True(code == 0, error);
        Assert.Contains("labelled 4 documents (2 relevant)", output, StringComparison.Ordinal);
        Assert.Contains("1 got no usable verdict", output, StringComparison.Ordinal);
        Assert.Contains("d4: no label: no JSON verdict", error, StringComparison.Ordinal);
        var labels = (await File.ReadAllLinesAsync(directory.File("labels.jsonl"), Token)).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(["d0", "d1", "d2", "d3"], labels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("relevant", labels["d0"].GetProperty("label").GetString());
        Assert.Equal("irrelevant", labels["d2"].GetProperty("label").GetString());
        Assert.Equal("describes an attack", labels["d1"].GetProperty("reason").GetString());
        Assert.All(server.Requests, r => Assert.Contains("NOT relevant when security words appear in another sense", r.Messages[0].Content, StringComparison.Ordinal));

        // A rerun asks only about the document that has no label yet; when nothing new gets a label, it fails.
        server.ClearRequests();
        var (again, rerun, rerunError) = await CliHarness.RunAsync(directory.Path, "corpus", "label", "--model", server.Spec(), "--input", "docs.jsonl", "--text-field", "body", "--sample", "0", "--output", "labels.jsonl");
        Assert.Equal(1, again);
        Assert.Contains("d4: no label", rerunError, StringComparison.Ordinal);
        Assert.Contains("4 were already labelled", rerun, StringComparison.Ordinal);
        Assert.Equal(4, (await File.ReadAllLinesAsync(directory.File("labels.jsonl"), Token)).Length);
        Assert.True(server.Requests.Count <= 1);
        Assert.DoesNotContain(server.Requests, r => !r.Messages[^1].Content.Contains("GARBLED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Label_AMissingTextField_NamesTheFileLineAndField()
    {
        using var directory = new TempDirectory();
        await File.WriteAllLinesAsync(directory.File("docs.jsonl"), ["{\"text\": \"fine\"}", "{\"content\": \"wrong field\"}"], Token);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "corpus", "label", "--model", "openai:x@http://127.0.0.1:9", "--input", "docs.jsonl", "--output", "labels.jsonl");
        Assert.Equal(2, code);
        Assert.Contains("docs.jsonl", error, StringComparison.Ordinal);
        Assert.Contains("2", error, StringComparison.Ordinal);
        Assert.Contains("text", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainClassifier_ReportsHeldOutMetrics_AndWritesAHeadTheCorpusCanLoad()
    {
        using var directory = new TempDirectory();
        var seed = await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.Root, "samples", "relevance", "seed-labels.jsonl"), Token);
        // Every fourth passage keeps the test quick while keeping both labels and the hard negatives.
        await File.WriteAllLinesAsync(directory.File("labels.jsonl"), seed.Where((_, i) => i % 4 == 0), Token);

        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "corpus", "train-classifier", "--labels", "labels.jsonl", "--output", "head.json", "--held-out", "0.25", "--json");

        Assert.True(code == 0, error);
        using var summary = JsonDocument.Parse(output);
        var root = summary.RootElement;
        Assert.Equal((seed.Length + 3) / 4, root.GetProperty("examples").GetInt32());
        Assert.InRange(root.GetProperty("held_out").GetInt32(), 45, 56);
        Assert.InRange(root.GetProperty("f1").GetDouble(), 0.8, 1.0);
        var head = RelevanceClassifier.Load(directory.File("head.json"));
        Assert.Equal(root.GetProperty("f1").GetDouble(), head.Head.HeldOut!.F1, 6);
        var scores = head.Score(["Attackers exploited a SQL injection flaw to dump the customer database and then sold the stolen credentials.", "The midfielder's attack down the left wing set up the winning goal."]);
        Assert.True(scores[0] > 0.5 && scores[1] < 0.5, $"{scores[0]} {scores[1]}");
    }

    [Fact]
    public async Task TrainClassifier_ABadLabel_NamesTheLineAndField()
    {
        using var directory = new TempDirectory();
        await File.WriteAllLinesAsync(directory.File("labels.jsonl"), ["{\"text\": \"a\", \"label\": \"relevant\"}", "{\"text\": \"b\", \"label\": \"maybe\"}"], Token);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "corpus", "train-classifier", "--labels", "labels.jsonl", "--output", "head.json");
        Assert.Equal(2, code);
        Assert.Contains("labels.jsonl", error, StringComparison.Ordinal);
        Assert.Contains("label", error, StringComparison.Ordinal);
        Assert.Contains("'maybe'", error, StringComparison.Ordinal);
    }
}
