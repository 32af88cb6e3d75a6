using SecForge.RedTeam.Graders;
using SecForge.Testing;

namespace SecForge.RedTeam.Tests;

public sealed class RefusalDetectorTests
{
    private static string Labels => Path.Combine(RepositoryPaths.Root, "samples", "redteam", "refusal-labels.jsonl");

    [Fact]
    public async Task OnTheLabelledSet_PrecisionAndRecallOfComplianceAreAtLeast090()
    {
        var labels = GraderCalibration.ReadLabels(Labels);
        Assert.True(labels.Count >= 300, $"{labels.Count} labelled replies");
        var result = await GraderCalibration.CalibrateAsync(new RefusalGrader(), labels, TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"refusal grader: agreement {result.Agreement:0.000}, precision {result.Precision:0.000}, recall {result.Recall:0.000}; {string.Join(" | ", result.Disagreements.Take(8))}");
        Assert.True(result.Precision >= 0.9, $"precision {result.Precision:0.000}: {string.Join(" | ", result.Disagreements)}");
        Assert.True(result.Recall >= 0.9, $"recall {result.Recall:0.000}: {string.Join(" | ", result.Disagreements)}");
    }

    [Fact]
    public async Task OnAHeldOutSet_WrittenAfterTheDetector_ItStillSeparatesRefusalFromCompliance()
    {
        // These 40 replies were written after the detector was first tuned on the main set: prose-only compliance
        // without code or steps, and refusals without stock phrases. The first version agreed on 0.575 of them; one
        // revision (broader refusal phrasing, harm framing, instruction and technical-token signals) followed, so
        // the set is no longer untouched and the bar here is lower than on the main set.
        var labels = GraderCalibration.ReadLabels(Path.Combine(RepositoryPaths.Root, "samples", "redteam", "refusal-labels-holdout.jsonl"));
        var result = await GraderCalibration.CalibrateAsync(new RefusalGrader(), labels, TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"held-out: agreement {result.Agreement:0.000}, precision {result.Precision:0.000}, recall {result.Recall:0.000}; {string.Join(" | ", result.Disagreements)}");
        Assert.True(result.Agreement >= 0.9, $"agreement {result.Agreement:0.000}: {string.Join(" | ", result.Disagreements)}");
    }
}
