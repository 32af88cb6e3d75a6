using SecForge.Core.Errors;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Tasks;
using SecForge.Evaluation.Protocols;
using SecForge.Evaluation.Scoring;
using SecForge.Testing;

namespace SecForge.Evaluation.Tests;

public sealed class LoaderTests
{
    [Theory]
    [InlineData("ctibench-mcq", 15)]
    [InlineData("ctibench-rcm", 15)]
    [InlineData("ctibench-rcm-2021", 10)]
    [InlineData("ctibench-vsp", 15)]
    [InlineData("ctibench-ate", 5)]
    [InlineData("ctibench-taa", 5)]
    [InlineData("cybermetric-80", 10)]
    [InlineData("secbench-mcq", 12)]
    [InlineData("secbench-mcq-en", 8)]
    [InlineData("secbench-mcq-zh", 4)]
    [InlineData("secbench-saq", 2)]
    [InlineData("seceval", 10)]
    [InlineData("secure-maet", 5)]
    [InlineData("secure-cwet", 5)]
    [InlineData("secure-kcv", 5)]
    [InlineData("secure-vood", 5)]
    [InlineData("secure-cpst", 5)]
    [InlineData("mmlu-computer-security", 3)]
    [InlineData("sevenllm-mcq", 2)]
    public void EverySample_LoadsWithItsCount(string task, int count)
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var loaded = BenchmarkSamples.Load(task);
        Assert.Equal(count, loaded.Data.Samples.Count);
        Assert.All(loaded.Data.Samples, s => Assert.False(string.IsNullOrWhiteSpace(s.Question)));
        Assert.Equal(count, loaded.Data.Samples.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void CtiBench_ReadsOptionsPromptsAndGold()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var mcq = BenchmarkSamples.Load("ctibench-mcq").Data.Samples;
        Assert.StartsWith("Which of the following mitigations involves preventing applications", mcq[0].Question, StringComparison.Ordinal);
        Assert.Equal(["Audit", "Execution Prevention", "Operating System Configuration", "User Account Control"], mcq[0].Choices);
        Assert.Equal("B", mcq[0].Target);
        Assert.Equal("D", mcq[1].Target);
        Assert.Contains("**Important:** The last line of your answer", mcq[0].NativePrompt, StringComparison.Ordinal);

        var rcm = BenchmarkSamples.Load("ctibench-rcm").Data.Samples;
        Assert.Equal("CWE-416", rcm[0].Target);
        Assert.Equal("CWE-257", rcm[1].Target);
        Assert.Equal("CWE-20", BenchmarkSamples.Load("ctibench-rcm-2021").Data.Samples[0].Target);

        var vsp = BenchmarkSamples.Load("ctibench-vsp").Data.Samples;
        Assert.Equal("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", vsp[0].Target);

        var ate = BenchmarkSamples.Load("ctibench-ate").Data.Samples;
        Assert.Equal("T1071, T1573, T1083, T1070", ate[0].Target);
        Assert.StartsWith("3PARA RAT is a remote access tool", ate[0].Question, StringComparison.Ordinal);

        var taa = BenchmarkSamples.Load("ctibench-taa");
        Assert.Equal(["SideCopy", "MUSTANG PANDA", "MUSTANG PANDA", "MUMMY SPIDER", "Dark Caracal"], taa.Data.Samples.Select(s => s.Target));
        Assert.NotNull(taa.Data.Actors);
        Assert.Contains("[PLACEHOLDER]", taa.Data.Samples[0].Question, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherBenchmarks_ReadTheirOwnShapes()
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        var cyber = BenchmarkSamples.Load("cybermetric-80").Data.Samples;
        Assert.Equal("B", cyber[0].Target);
        Assert.Equal(4, cyber[0].Choices!.Count);
        Assert.StartsWith("The RBG's output should be computationally indistinguishable", cyber[0].Choices![1], StringComparison.Ordinal);

        var secbench = BenchmarkSamples.Load("secbench-mcq").Data.Samples;
        Assert.Equal("B", secbench[0].Target);
        Assert.Equal("English", secbench[0].Language);
        Assert.Equal(4, BenchmarkSamples.Load("secbench-mcq-zh").Data.Samples.Count(s => s.Language == "Chinese"));
        Assert.Equal("为了提高安全性，防止某些类型的网络攻击。", BenchmarkSamples.Load("secbench-saq").Data.Samples[0].Target);

        var seceval = BenchmarkSamples.Load("seceval").Data.Samples;
        Assert.Equal(["B", "B", "B", "A", "A", "A", "AB", "AD", "CD", "BD"], seceval.Select(s => s.Target));
        Assert.DoesNotContain(seceval[0].Choices!, c => c.StartsWith("A:", StringComparison.Ordinal));

        Assert.Equal(["A", "B", "C", "C", "A"], BenchmarkSamples.Load("secure-maet").Data.Samples.Select(s => s.Target));
        Assert.Equal(["F", "T", "F", "F", "F"], BenchmarkSamples.Load("secure-kcv").Data.Samples.Select(s => s.Target));
        Assert.All(BenchmarkSamples.Load("secure-vood").Data.Samples, s => Assert.Equal("X", s.Target));
        Assert.Equal("7.8", BenchmarkSamples.Load("secure-cpst").Data.Samples[0].Target);

        var mmlu = BenchmarkSamples.Load("mmlu-computer-security");
        Assert.Equal(["C", "A", "C"], mmlu.Data.Samples.Select(s => s.Target));
        Assert.Contains("1. An attacker replaying bytes", mmlu.Data.Samples[1].Question, StringComparison.Ordinal);
        Assert.Equal(5, mmlu.Data.ShotPool!.Count);

        var seven = BenchmarkSamples.Load("sevenllm-mcq").Data.Samples;
        Assert.Equal(["A", "D"], seven.Select(s => s.Target));
        Assert.Equal("Healthcare, emergency services, and education", seven[0].Choices![0]);
        Assert.StartsWith("DoppelPaymer", seven[0].Context, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingColumn_NamesTheFileLineAndColumn()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cti-mcq.tsv"), "URL\tQuestion\tOption A\tOption B\tOption C\tOption D\tPrompt\n" + "u\tq\ta\tb\tc\td\tp\n");
        var exception = Assert.Throws<InputException>(() => BuiltinTasks.Find("ctibench-mcq")!.Load(new BenchmarkFiles(directory.Path)));
        Assert.EndsWith("cti-mcq.tsv", exception.Path, StringComparison.Ordinal);
        Assert.Equal("GT", exception.Field);
        Assert.Equal(1, exception.Record);
    }

    [Fact]
    public void ABadGoldAnswer_IsASkippedRow_NamingItsLineAndField()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cti-mcq.tsv"), "URL\tQuestion\tOption A\tOption B\tOption C\tOption D\tPrompt\tGT\n" + "u\tq\ta\tb\tc\td\tp\tB\n" + "u\t\"two\nline question\"\ta\tb\tc\td\tp\tE\n");
        var data = BuiltinTasks.Find("ctibench-mcq")!.Load(new BenchmarkFiles(directory.Path));
        Assert.Equal("q", Assert.Single(data.Samples).Question);
        Assert.Equal("cti-mcq.tsv:3: field 'GT': 'E' is not one of A/B/C/D", Assert.Single(data.Skipped).ToString());

        // With no usable row at all, the file is not the format: one error naming the file, line and field.
        File.WriteAllText(directory.File("cti-mcq.tsv"), "URL\tQuestion\tOption A\tOption B\tOption C\tOption D\tPrompt\tGT\n" + "u\tq\ta\tb\tc\td\tp\tE\n");
        var exception = Assert.Throws<InputException>(() => BuiltinTasks.Find("ctibench-mcq")!.Load(new BenchmarkFiles(directory.Path)));
        Assert.Equal(2, exception.Record);
        Assert.Equal("GT", exception.Field);
        Assert.Contains("'E'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFile_SaysWhatWasLookedForWhere()
    {
        using var directory = new TempDirectory();
        var exception = Assert.Throws<InputException>(() => BuiltinTasks.Find("cybermetric-500")!.Load(new BenchmarkFiles(directory.Path)));
        Assert.Contains("CyberMetric-500-v1.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PythonLiterals_Parse()
    {
        var value = (Dictionary<string, object?>)PythonLiteral.Parse("{'question': \"It's \\\"quoted\\\"\", 'choice': {'A': 'x', 'B': 'y'}, 'n': 3, 'ok': True, 'none': None, 'list': [1, 2.5, (3,)]}")!;
        Assert.Equal("It's \"quoted\"", value["question"]);
        Assert.Equal("y", ((Dictionary<string, object?>)value["choice"]!)["B"]);
        Assert.Equal(3L, value["n"]);
        Assert.Equal(true, value["ok"]);
        Assert.Null(value["none"]);
        Assert.Throws<FormatException>(() => PythonLiteral.Parse("{'a': }"));
    }

    [Fact]
    public void CustomTasks_ReadYamlAndJsonl_WithClearErrors()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("triage.jsonl"), "{\"id\": \"a\", \"question\": \"Is 4625 a failed logon?\", \"choices\": [\"yes\", \"no\"], \"answer\": \"A\"}\n{\"id\": \"b\", \"question\": \"q\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"c\"}\n");
        File.WriteAllText(directory.File("triage.yaml"), "name: soc-triage\ndata: triage.jsonl\ntype: multiple_choice\n");
        var task = CustomTask.Load(directory.File("triage.yaml"));
        Assert.Equal("soc-triage", task.Name);
        var data = task.Load(null!);
        Assert.Equal("a", Assert.Single(data.Samples).Id);
        Assert.Equal("triage.jsonl:2: field 'answer': 'C' is not the letter of one of the 2 options", Assert.Single(data.Skipped).ToString());

        File.WriteAllText(directory.File("bad.yaml"), "data: triage.jsonl\ntype: regex\n");
        Assert.Equal("pattern", Assert.Throws<InputException>(() => CustomTask.Load(directory.File("bad.yaml"))).Field);
    }
}

/// <summary>The unusual rows of the full official files, in project-written copies of their shape.</summary>
public sealed class UnusualRowTests
{
    private const string McqHeader = "URL\tQuestion\tOption A\tOption B\tOption C\tOption D\tPrompt\tGT\n";

    [Fact]
    public void ThreeOptionQuestions_AreAskedWithTheLettersTheyHave_AndAcceptOnlyThose()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cti-mcq.tsv"), McqHeader
            + "u1\tWhich tactic is phishing?\tInitial Access\tImpact\tCollection\tDiscovery\tp1\tA\n"
            + "u2\tWhich log holds script blocks?\tSecurity\tSystem\tPowerShell Operational\t\tp2\tC\n"
            + "u3\tWhich key signs certificates?\tThe CA's private key\tThe subject's key\t\tA shared secret\tp3\tA\n"
            + "u4\tWhich port is SMB?\t445\t21\t80\t\tp4\tD\n");
        var task = BuiltinTasks.Find("ctibench-mcq")!;
        var data = task.Load(new BenchmarkFiles(directory.Path));

        Assert.Equal(["1", "2", "3"], data.Samples.Select(s => s.Id));
        Assert.Null(data.Samples[0].Labels);
        Assert.Equal("ABC", data.Samples[1].Labels);
        Assert.Equal("ABD", data.Samples[2].Labels);
        Assert.Equal("cti-mcq.tsv:5: field 'GT': 'D' is not one of A/B/C", Assert.Single(data.Skipped).ToString());

        // A prompt SecForge writes shows only the options the item has, under their own letters.
        var generic = PromptBuilder.Generic(task, data.Samples[2]);
        Assert.Contains("A) The CA's private key", generic, StringComparison.Ordinal);
        Assert.Contains("D) A shared secret", generic, StringComparison.Ordinal);
        Assert.DoesNotContain("C) ", generic, StringComparison.Ordinal);

        // Only the item's letters are read as an answer.
        var labels = data.Samples[1].LabelsOr(task.Labels);
        Assert.Null(AnswerExtractor.Extract(AnswerKind.MultipleChoice, "Answer: D", ExtractionRule.AnswerColon, labels).Strict);
        Assert.Equal("C", AnswerExtractor.Extract(AnswerKind.MultipleChoice, "Answer: C", ExtractionRule.AnswerColon, labels).Strict);
    }

    [Fact]
    public void ASecEvalItemWithAnEmptyGoldAnswer_IsSkippedAndCounted()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("questions.json"), """
            [
              {"id": "ok", "question": "Which header stops clickjacking?", "choices": ["A: X-Frame-Options", "B: ETag"], "answer": "A", "topics": ["WebSecurity"]},
              {"id": "no-gold", "question": "Which of these are block ciphers?", "choices": ["A: AES", "B: RC4", "C: Serpent"], "answer": "", "topics": ["Cryptography"]}
            ]
            """);
        var data = BuiltinTasks.Find("seceval")!.Load(new BenchmarkFiles(directory.Path));
        Assert.Equal("ok", Assert.Single(data.Samples).Id);
        Assert.Equal("questions.json[1]: field 'answer': empty", Assert.Single(data.Skipped).ToString());
    }

    [Fact]
    public void ASecureRowWithAnEmptyQuestion_IsSkippedAndCounted()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("SECURE-CWET.tsv"), "URL\tPrompt\tQuestion\tOption A\tOption B\tOption C\tOption D\tCorrect Answer\n"
            + "u\tp\tWhich CWE is XSS?\tCWE-79\tCWE-89\tCWE-22\tCWE-20\tA\n"
            + "u\tp\t\tCWE-79\tCWE-89\tCWE-22\tCWE-20\tB\n");
        var data = BuiltinTasks.Find("secure-cwet")!.Load(new BenchmarkFiles(directory.Path));
        Assert.Single(data.Samples);
        Assert.Equal("SECURE-CWET.tsv:3: field 'Question': empty", Assert.Single(data.Skipped).ToString());
    }

    [Fact]
    public void SkippedRows_ReachResultsJson()
    {
        var items = new List<ScoredItem> { new("1", 0, new Dictionary<string, double> { ["accuracy"] = 1 }, false, false, false) };
        var result = MetricAggregator.Aggregate("t", "b", AnswerKind.MultipleChoice, items, 1) with { Skipped = 1, SkippedItems = ["f.tsv:3: field 'GT': empty"] };
        var json = System.Text.Json.JsonSerializer.Serialize(result, Core.Json.SecForgeJson.Compact);
        Assert.Contains("\"skipped\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"skipped_items\":[\"f.tsv:3: field 'GT': empty\"]", json, StringComparison.Ordinal);
    }
}
