using SecForge.Core.Errors;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Tasks;
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
