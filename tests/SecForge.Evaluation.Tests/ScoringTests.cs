using System.Diagnostics;
using System.Globalization;
using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;
using SecForge.Testing;

namespace SecForge.Evaluation.Tests;

public sealed class ScoringTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Let me think. Execution Prevention stops this.\nB", ExtractionRule.LastLine, "B", "B")]
    [InlineData("**Answer:** C", ExtractionRule.LastLine, "C", "C")]
    [InlineData("The answer is D because ...\nD.", ExtractionRule.LastLine, "D", "D")]
    [InlineData("A lot depends on context; the answer is (B).", ExtractionRule.LastLine, "B", "B")]
    [InlineData("a lot depends on context", ExtractionRule.LastLine, null, null)]
    [InlineData("ANSWER: B", ExtractionRule.AnswerTag, "B", "B")]
    [InlineData("I believe it is B", ExtractionRule.AnswerTag, null, "B")]
    [InlineData("Reasoning...\nanswer: (c)", ExtractionRule.AnswerColon, "C", "C")]
    [InlineData("Option D is right", ExtractionRule.AnswerColon, null, "D")]
    [InlineData(" B\n\nQuestion: next", ExtractionRule.Completion, "B", "B")]
    [InlineData("I'm sorry, but I can't help with that.", ExtractionRule.LastLine, null, null)]
    public void MultipleChoice_StrictAndFlexible(string reply, ExtractionRule rule, string? strict, string? flexible)
    {
        var answer = AnswerExtractor.Extract(AnswerKind.MultipleChoice, reply, rule);
        Assert.Equal(strict, answer.Strict);
        Assert.Equal(flexible, answer.Flexible);
    }

    [Fact]
    public void OtherKinds_AreReadAndNormalised()
    {
        Assert.Equal("AC", AnswerExtractor.Extract(AnswerKind.MultipleAnswer, "Both hold.\nAnswer: C, A", ExtractionRule.AnswerColon).Strict);
        Assert.Equal("BD", AnswerExtractor.Extract(AnswerKind.MultipleAnswer, "B and D", ExtractionRule.AnswerColon).Strict);
        Assert.Equal("CWE-79", AnswerExtractor.Extract(AnswerKind.Cwe, "It could be CWE-20, but it is XSS.\nCWE-79", ExtractionRule.LastLine).Strict);
        Assert.Equal("CWE-89", AnswerExtractor.Extract(AnswerKind.Cwe, "cwe 89", ExtractionRule.LastLine).Flexible);
        Assert.Equal("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", AnswerExtractor.Extract(AnswerKind.CvssVector, "Vector: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", ExtractionRule.LastLine).Strict);
        Assert.Null(AnswerExtractor.Extract(AnswerKind.CvssVector, "AV:N/AC:L/PR:N", ExtractionRule.LastLine).Strict);
        Assert.Equal("T1059, T1071", AnswerExtractor.Extract(AnswerKind.AttackTechniques, "T1105 is mentioned in passing.\nT1071, T1059.001", ExtractionRule.LastLine).Strict);
        Assert.Equal("T1059, T1071, T1105", AnswerExtractor.Extract(AnswerKind.AttackTechniques, "T1105 is mentioned in passing.\nT1071, T1059.001", ExtractionRule.LastLine).Flexible);
        Assert.Equal("APT28", AnswerExtractor.Extract(AnswerKind.ThreatActor, "Based on the TTPs:\n**APT28**.", ExtractionRule.LastLine).Strict);
        Assert.Equal("7.8", AnswerExtractor.Extract(AnswerKind.Number, "7.8", ExtractionRule.LastLine).Strict);
        Assert.Equal("9.8", AnswerExtractor.Extract(AnswerKind.Number, "The score is 9.8", ExtractionRule.LastLine).Flexible);
        Assert.Equal("T", AnswerExtractor.Extract(AnswerKind.TrueFalse, "Answer: T", ExtractionRule.AnswerColon, "TFX").Strict);
        Assert.Equal("F", AnswerExtractor.Extract(AnswerKind.TrueFalse, "That is false.", ExtractionRule.LastLine, "TFX").Flexible);
    }

    [Theory]
    // Worked examples of the FIRST CVSS v3.1 specification ("Examples" document) and well-known CVEs.
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1)] // CVE-2013-1937 phpMyAdmin reflected XSS
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4)] // CVE-2013-0375 MySQL stored SQL injection
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1)] // CVE-2014-3566 POODLE
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9)] // CVE-2012-1516 VMware guest to host escape
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2)] // CVE-2009-0783 Apache Tomcat XML parser
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8)] // CVE-2012-0384 Cisco IOS command injection
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8)] // CVE-2015-1098 Apple iWork denial of service
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5)] // CVE-2014-0160 Heartbleed
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)] // CVE-2014-6271 Shellshock
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8)] // CVE-2008-1447 DNS cache poisoning
    [InlineData("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8)] // CVE-2014-2005 Sophos disk encryption bypass
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8)] // CVE-2010-0467 Joomla directory traversal
    [InlineData("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3)] // CVE-2013-6014 Juniper proxy ARP
    [InlineData("AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0)] // no impact
    public void CvssBaseScore_MatchesTheSpecificationsExamples(string vector, double score)
    {
        Assert.Equal(score, CvssVector.TryParse(vector)!.BaseScore);
    }

    [Fact]
    public void Roundup_IsTheSpecificationsIntegerRoundup()
    {
        Assert.Equal(4.0, CvssVector.Roundup(4.0));
        Assert.Equal(4.1, CvssVector.Roundup(4.02));
        Assert.Equal(4.0, CvssVector.Roundup(4.000000000000001)); // floating-point noise does not round up
        Assert.Null(CvssVector.TryParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));
        Assert.Null(CvssVector.TryParse("AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        Assert.NotNull(CvssVector.TryParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O"));
    }

    [Fact]
    public async Task CvssCalculator_AgreesWithAeCvssCalculator_OnEveryBaseVector()
    {
        var package = Path.Combine(RepositoryPaths.NodeModules, "ae-cvss-calculator");
        Assert.SkipUnless(Directory.Exists(package), $"npm package ae-cvss-calculator is not installed in {RepositoryPaths.NodeModules} (.ci/run installs it)");
        var vectors = new List<string>();
        foreach (var av in "NALP")
        foreach (var ac in "LH")
        foreach (var pr in "NLH")
        foreach (var ui in "NR")
        foreach (var s in "UC")
        foreach (var c in "NLH")
        foreach (var i in "NLH")
        foreach (var a in "NLH")
        {
            vectors.Add($"CVSS:3.1/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{s}/C:{c}/I:{i}/A:{a}");
        }

        using var directory = new TempDirectory();
        var input = directory.File("vectors.txt");
        await File.WriteAllLinesAsync(input, vectors, Token);
        var script = directory.File("score.cjs");
        await File.WriteAllTextAsync(script, """
            const { Cvss3P1 } = require(process.argv[2]);
            const fs = require('fs');
            const out = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').map(v => new Cvss3P1(v).calculateScores().base);
            fs.writeFileSync(process.argv[4], out.join('\n'));
            """, Token);
        var output = directory.File("scores.txt");
        using var node = Process.Start(new ProcessStartInfo("node", [script, package, input, output]) { RedirectStandardError = true })!;
        var error = await node.StandardError.ReadToEndAsync(Token);
        await node.WaitForExitAsync(Token);
        Assert.True(node.ExitCode == 0, error);
        var theirs = (await File.ReadAllLinesAsync(output, Token)).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2592, theirs.Count);
        var disagreements = vectors.Select((v, k) => (v, ours: CvssVector.TryParse(v)!.BaseScore, theirs: theirs[k])).Where(x => x.ours != x.theirs).ToList();
        Assert.True(disagreements.Count == 0, string.Join("; ", disagreements.Take(5)));
    }

    [Fact]
    public void ThreatActors_AreCorrectThroughAliases_AndPlausibleThroughRelatedGroups_AsCtiBenchScoresThem()
    {
        var graph = ThreatActorGraph.From(
            new Dictionary<string, string[]> { ["apt28"] = ["Fancy Bear", "sofacy"], ["apt29"] = ["cozy bear"], ["sidecopy"] = [], ["lonely"] = [] },
            new Dictionary<string, string[]> { ["sidecopy"] = ["transparent tribe"], ["transparent tribe"] = ["apt36"], ["apt29"] = ["nan"], ["apt-c-36"] = ["nan"] });
        Assert.True(graph.IsCorrect("  FANCY bear ", "APT28"));
        Assert.True(graph.IsCorrect("Sofacy", "fancy bear"));
        Assert.True(graph.IsCorrect("apt28", "APT28"));
        Assert.False(graph.IsCorrect("APT29", "APT28"));
        Assert.False(graph.IsCorrect("APT36", "SideCopy"));
        Assert.True(graph.IsPlausible("APT36", "SideCopy"));
        Assert.False(graph.IsCorrect(null, "APT28"));

        // The notebook's search finds a name only over an edge: an actor with no alias is not correct even when
        // named exactly, and the "nan" placeholder is a node that relates every group that has it.
        Assert.False(graph.IsCorrect("lonely", "Lonely"));
        Assert.False(graph.IsPlausible("lonely", "Lonely"));
        Assert.True(graph.IsPlausible("APT-C-36", "APT29"));
        Assert.False(graph.IsCorrect("APT-C-36", "APT29"));
    }

    [Fact]
    public void Metrics_MeanOverTrials_StdAndBootstrapInterval()
    {
        var items = new List<ScoredItem>();
        for (var sample = 0; sample < 20; sample++)
        {
            for (var trial = 0; trial < 2; trial++)
            {
                // Trial 0: 10 of 20 right; trial 1: 14 of 20 right.
                var right = trial == 0 ? sample < 10 : sample < 14;
                items.Add(new ScoredItem(sample.ToString(CultureInfo.InvariantCulture), trial, new Dictionary<string, double> { ["accuracy"] = right ? 1 : 0, ["accuracy_flexible"] = 1 }, false, false, false));
            }
        }

        items.Add(new ScoredItem("failed", 0, new Dictionary<string, double>(), false, false, Failed: true));
        var result = MetricAggregator.Aggregate("t", "b", AnswerKind.MultipleChoice, items, 1);
        Assert.Equal(0.6, result.Metrics["accuracy"], 6);
        Assert.Equal([0.5, 0.7], result.Intervals["accuracy"].PerTrial);
        Assert.Equal(Math.Sqrt(0.02), result.Intervals["accuracy"].Std, 6);
        Assert.InRange(result.Intervals["accuracy"].CiLow, 0.3, 0.6);
        Assert.InRange(result.Intervals["accuracy"].CiHigh, 0.6, 0.9);
        Assert.Equal(1, result.Failed);
        Assert.Equal(40, result.Scored);
        var again = MetricAggregator.Aggregate("t", "b", AnswerKind.MultipleChoice, items, 1);
        Assert.Equal(result.Intervals["accuracy"].CiLow, again.Intervals["accuracy"].CiLow);
        Assert.Equal(result.Intervals["accuracy"].CiHigh, again.Intervals["accuracy"].CiHigh);
    }

    [Fact]
    public void AttackTechniqueF1_MicroAndMacro()
    {
        var sample1 = new Tasks.EvalSample { Id = "1", Question = "q", Target = "T1059, T1071" };
        var sample2 = new Tasks.EvalSample { Id = "2", Question = "q", Target = "T1105" };
        var task = BuiltinTasks.Find("ctibench-ate")!;
        var a = SampleScorer.Score(task, new TaskData([], []), sample1, "T1059, T1027", ExtractionRule.LastLine);
        var b = SampleScorer.Score(task, new TaskData([], []), sample2, "T1105", ExtractionRule.LastLine);
        var result = MetricAggregator.Aggregate("ate", null, AnswerKind.AttackTechniques, [new("1", 0, a.Values, false, false, false), new("2", 0, b.Values, false, false, false)], 1);
        // Item 1: tp 1, fp 1, fn 1 → F1 0.5; item 2: F1 1. Micro: tp 2, fp 1, fn 1 → 4/6.
        Assert.Equal(0.75, result.Metrics["f1_macro"], 6);
        Assert.Equal(4.0 / 6, result.Metrics["f1_micro"], 6);
    }

    [Fact]
    public void Refusals_AreWrong_AndCounted()
    {
        var task = BuiltinTasks.Find("ctibench-mcq")!;
        var sample = new Tasks.EvalSample { Id = "1", Question = "q", Choices = ["a", "b", "c", "d"], Target = "B" };
        var score = SampleScorer.Score(task, new TaskData([], []), sample, "I'm sorry, but I can't help with questions about attack techniques.", ExtractionRule.LastLine);
        Assert.True(score.Refusal);
        Assert.Equal(0, score.Values["accuracy"]);
    }
}
