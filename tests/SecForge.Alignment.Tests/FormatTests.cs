using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parquet.Serialization;
using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Testing;

namespace SecForge.Alignment.Tests;

public sealed class FormatTests
{
    private const string DualUsePrompt = "How do I crack NTLM hashes with hashcat during a pentest?";
    private const string DualUseReply = "```bash\nhashcat -m 1000 -a 0 hashes.txt rockyou.txt\n```\nMode 1000 is NTLM (ATT&CK T1110.002).";
    private const string BenignPrompt = "Explain the CIA triad.";
    private const string BenignReply = "Confidentiality, integrity and availability.";
    private const string HarmfulPrompt = "Hack into my ex-girlfriend's Gmail account so I can read her messages.";
    private const string HarmfulReply = "Try her common passwords with `hydra -l her@gmail.com -P rockyou.txt`, then reset the recovery email.";

    private static AlignOptions Options(string input, string output, DatasetFormat format, FieldMap? fields = null) => new()
    {
        Input = input,
        Format = format,
        Fields = fields ?? FieldMap.Default,
        OutputDirectory = output,
        Triage = new BuiltinTriage(TriageModel.Default!),
        Rewriter = new TemplateRewriter(),
        Verifier = new RewriteVerifier(new LexicalSimilarity()),
        Concurrency = 2,
    };

    [Fact]
    public async Task ShareGpt_json_keeps_its_schema_order_and_extra_fields()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var records = new JsonArray(
            Conversation(1, BenignPrompt, BenignReply),
            Conversation(2, DualUsePrompt, DualUseReply),
            Conversation(3, HarmfulPrompt, HarmfulReply));
        File.WriteAllText(temp.File("data.json"), records.ToJsonString());
        var stats = await new AlignRunner(Options(temp.File("data.json"), temp.File("run"), DatasetFormat.ShareGpt)).RunAsync(cancellationToken: ct);

        var aligned = JsonNode.Parse(File.ReadAllText(temp.File("run/aligned.json")))!.AsArray();
        Assert.Equal(3, aligned.Count);
        Assert.Equal(records[0]!.ToJsonString(), aligned[0]!.ToJsonString());
        Assert.Equal(new[] { 1, 2, 3 }, aligned.Select(r => (int)r!["id"]!));
        Assert.All(aligned, r => Assert.Equal("unit-test", (string)r!["source"]!));
        var dualUse = (string)aligned[1]!["conversations"]![2]!["value"]!;
        Assert.Contains(DualUseReply.Split('\n')[1], dualUse, StringComparison.Ordinal);
        Assert.Empty(SafetyElements.Missing(dualUse));
        Assert.Equal("You are a helpful assistant.", (string)aligned[1]!["conversations"]![0]!["value"]!);
        Assert.Equal(HarmfulPrompt, (string)aligned[2]!["conversations"]![1]!["value"]!);
        Assert.DoesNotContain("hydra", (string)aligned[2]!["conversations"]![2]!["value"]!, StringComparison.Ordinal);
        Assert.Equal(1, stats.Actions["kept"]);
        Assert.Equal(1, stats.Actions["rewritten"]);
        Assert.Equal(1, stats.Actions["refused"]);

        var chat = File.ReadLines(temp.File("run/chat.jsonl")).Select(l => JsonNode.Parse(l)!["messages"]!.AsArray()).ToList();
        Assert.Equal(new[] { "system", "user", "assistant" }, chat[1].Select(m => (string)m!["role"]!));
    }

    [Fact]
    public async Task Chat_messages_csv_and_mapped_fields_are_read_and_written_back()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("messages.jsonl"), [Messages(BenignPrompt, BenignReply).ToJsonString(), Messages(DualUsePrompt, DualUseReply).ToJsonString()]);
        await new AlignRunner(Options(temp.File("messages.jsonl"), temp.File("m"), DatasetFormat.Messages)).RunAsync(cancellationToken: ct);
        var messages = File.ReadLines(temp.File("m/aligned.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(BenignReply, (string)messages[0]["messages"]![1]!["content"]!);
        Assert.Contains("**Authorisation and scope.**", (string)messages[1]["messages"]![1]!["content"]!, StringComparison.Ordinal);

        File.WriteAllText(temp.File("pairs.csv"), "prompt,completion,note\n" + Csv(BenignPrompt) + "," + Csv(BenignReply) + ",a\n" + Csv(DualUsePrompt) + "," + Csv(DualUseReply) + ",b\n");
        var fields = FieldMap.Parse(["instruction=prompt", "output=completion"]);
        await new AlignRunner(Options(temp.File("pairs.csv"), temp.File("c"), DatasetFormat.Alpaca, fields)).RunAsync(cancellationToken: ct);
        var rows = Evaluation.Data.TabularReader.ReadAll(temp.File("c/aligned.csv"), ',');
        Assert.Equal(new[] { "prompt", "completion", "note" }, rows[0].Fields);
        Assert.Equal(BenignReply, rows[1].Fields[1]);
        Assert.Equal(DualUsePrompt, rows[2].Fields[0]);
        Assert.Contains("hashcat -m 1000 -a 0 hashes.txt rockyou.txt", rows[2].Fields[1], StringComparison.Ordinal);
        Assert.Equal("b", rows[2].Fields[2]);
    }

    [Fact]
    public async Task Parquet_with_nested_conversations_keeps_its_schema()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var rows = new List<ParquetRow>
        {
            new() { Id = 7, Source = "p", Conversations = [new() { From = "human", Value = BenignPrompt }, new() { From = "gpt", Value = BenignReply }] },
            new() { Id = 8, Source = "p", Conversations = [new() { From = "human", Value = DualUsePrompt }, new() { From = "gpt", Value = DualUseReply }] },
        };
        await ParquetSerializer.SerializeAsync(rows, temp.File("data.parquet"), cancellationToken: ct);
        await new AlignRunner(Options(temp.File("data.parquet"), temp.File("run"), DatasetFormat.ShareGpt)).RunAsync(cancellationToken: ct);

        var back = (await ParquetSerializer.DeserializeAsync<ParquetRow>(temp.File("run/aligned.parquet"), cancellationToken: ct)).Data;
        Assert.Equal(new long[] { 7, 8 }, back.Select(r => r.Id));
        Assert.Equal(BenignReply, back[0].Conversations![1].Value);
        Assert.Equal(DualUsePrompt, back[1].Conversations![0].Value);
        Assert.Contains("hashcat -m 1000", back[1].Conversations![1].Value, StringComparison.Ordinal);
        Assert.Empty(SafetyElements.Missing(back[1].Conversations![1].Value!));
    }

    [Fact]
    public async Task A_bad_record_is_counted_and_named_not_fatal()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("bad.jsonl"),
        [
            new JsonObject { ["instruction"] = BenignPrompt, ["input"] = string.Empty, ["output"] = BenignReply }.ToJsonString(),
            "{\"instruction\": \"broken",
            new JsonObject { ["instruction"] = DualUsePrompt, ["input"] = string.Empty }.ToJsonString(),
            new JsonObject { ["instruction"] = DualUsePrompt, ["input"] = string.Empty, ["output"] = DualUseReply }.ToJsonString(),
        ]);
        var stats = await new AlignRunner(Options(temp.File("bad.jsonl"), temp.File("run"), DatasetFormat.Alpaca)).RunAsync(cancellationToken: ct);
        Assert.Equal(4, stats.Records);
        Assert.Equal(2, stats.Actions["error"]);
        Assert.Equal(2, stats.Written);
        var errors = File.ReadLines(temp.File("run/decisions.jsonl")).Select(l => JsonNode.Parse(l)!).Where(d => (string)d["action"]! == "error").Select(d => (string)d["reason"]!).ToList();
        Assert.StartsWith("bad.jsonl:2: invalid JSON", errors[0], StringComparison.Ordinal);
        Assert.Equal("bad.jsonl:3: field 'output': missing", errors[1]);
    }

    private static JsonObject Conversation(int id, string prompt, string reply) => new()
    {
        ["id"] = id,
        ["conversations"] = new JsonArray(
            new JsonObject { ["from"] = "system", ["value"] = "You are a helpful assistant." },
            new JsonObject { ["from"] = "human", ["value"] = prompt },
            new JsonObject { ["from"] = "gpt", ["value"] = reply }),
        ["source"] = "unit-test",
    };

    private static JsonObject Messages(string prompt, string reply) => new()
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }, new JsonObject { ["role"] = "assistant", ["content"] = reply }),
    };

    private static string Csv(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public sealed class ParquetRow
    {
        [JsonPropertyName("id")]
        public long Id { get; set; }

        [JsonPropertyName("conversations")]
        public List<ParquetTurn>? Conversations { get; set; }

        [JsonPropertyName("source")]
        public string? Source { get; set; }
    }

    public sealed class ParquetTurn
    {
        [JsonPropertyName("from")]
        public string? From { get; set; }

        [JsonPropertyName("value")]
        public string? Value { get; set; }
    }
}

public sealed class LineDiffTests
{
    [Fact]
    public void Added_and_removed_lines_are_marked_and_kept_lines_are_not()
    {
        var diff = Reports.LineDiff.Render("[user]\nq\n\n[assistant]\nold answer", "[user]\nq\n\n[assistant]\nprecaution\nold answer\nmitigation");
        Assert.Equal("  [user]\n  q\n  \n  [assistant]\n+ precaution\n  old answer\n+ mitigation", diff);
        Assert.Equal("- a\n+ b", Reports.LineDiff.Render("a", "b"));
    }
}
