using System.Globalization;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Scoring;

/// <summary>Scores a reply against an item's gold answer, by the task's answer kind.</summary>
public static class SampleScorer
{
    /// <summary>The deviation a malformed or missing CVSS vector or number counts as (CTIBench: the maximum, 10).</summary>
    public const double MaximumDeviation = 10;

    /// <summary>Extracts and scores; judge tasks are scored by <see cref="ScoreJudged"/> instead.</summary>
    public static SampleScore Score(EvalTask task, TaskData data, EvalSample sample, string reply, ExtractionRule rule)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(reply);
        var answer = AnswerExtractor.Extract(task.Kind, reply, rule, sample.LabelsOr(task.Labels), data?.Actors?.Names, task.Pattern);
        return ScoreAnswer(task, data, sample, answer, reply);
    }

    /// <summary>Scores already-extracted answers (re-scoring published answers, which are extracted already).</summary>
    public static SampleScore ScoreAnswer(EvalTask task, TaskData? data, EvalSample sample, ExtractedAnswer answer, string reply)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(answer);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var gold = sample.Target;
        switch (task.Kind)
        {
            case AnswerKind.MultipleChoice or AnswerKind.TrueFalse:
                values["accuracy"] = Equal(answer.Strict, gold);
                values["accuracy_flexible"] = Equal(answer.Flexible, gold);
                break;
            case AnswerKind.MultipleAnswer:
                var goldSet = AnswerExtractor.NormalizeLetters(gold);
                values["accuracy"] = answer.Strict is not null && AnswerExtractor.NormalizeLetters(answer.Strict) == goldSet ? 1 : 0;
                values["accuracy_flexible"] = answer.Flexible is not null && AnswerExtractor.NormalizeLetters(answer.Flexible) == goldSet ? 1 : 0;
                break;
            case AnswerKind.Cwe:
                values["accuracy"] = Equal(AnswerExtractor.NormalizeCwe(answer.Strict), AnswerExtractor.NormalizeCwe(gold));
                values["accuracy_flexible"] = Equal(AnswerExtractor.NormalizeCwe(answer.Flexible), AnswerExtractor.NormalizeCwe(gold));
                break;
            case AnswerKind.CvssVector:
                var goldScore = CvssVector.TryParse(gold)?.BaseScore ?? throw new Core.Errors.InputException($"the gold vector '{gold}' is not a CVSS v3 base vector", sample.Source);
                values["mad"] = Deviation(CvssVector.TryParse(answer.Strict)?.BaseScore, goldScore);
                values["mad_flexible"] = Deviation(CvssVector.TryParse(answer.Flexible)?.BaseScore, goldScore);
                break;
            case AnswerKind.AttackTechniques:
                AddF1(values, string.Empty, AnswerExtractor.ParseTechniques(answer.Strict), AnswerExtractor.ParseTechniques(gold));
                AddF1(values, "_flexible", AnswerExtractor.ParseTechniques(answer.Flexible), AnswerExtractor.ParseTechniques(gold));
                break;
            case AnswerKind.ThreatActor:
                var graph = data?.Actors;
                values["correct"] = graph is null ? Equal(Normalize(answer.Strict), Normalize(gold)) : graph.IsCorrect(answer.Strict, gold) ? 1 : 0;
                values["plausible"] = graph is null ? values["correct"] : graph.IsPlausible(answer.Strict, gold) ? 1 : 0;
                values["correct_flexible"] = graph is null ? Equal(Normalize(answer.Flexible), Normalize(gold)) : graph.IsCorrect(answer.Flexible, gold) ? 1 : 0;
                values["plausible_flexible"] = graph is null ? values["correct_flexible"] : graph.IsPlausible(answer.Flexible, gold) ? 1 : 0;
                break;
            case AnswerKind.Number:
                var target = double.Parse(gold, CultureInfo.InvariantCulture);
                var strict = ParseNumber(answer.Strict);
                var flexible = ParseNumber(answer.Flexible);
                var tolerance = Math.Max(task.Tolerance, 1e-9);
                values["accuracy"] = strict is { } s && Math.Abs(s - target) <= tolerance ? 1 : 0;
                values["accuracy_flexible"] = flexible is { } f && Math.Abs(f - target) <= tolerance ? 1 : 0;
                values["mad"] = Deviation(strict, target);
                break;
            case AnswerKind.Exact:
                var normalizedGold = AnswerExtractor.NormalizeText(gold);
                values["accuracy"] = answer.Strict == normalizedGold ? 1 : 0;
                values["accuracy_flexible"] = answer.Flexible == normalizedGold || AnswerExtractor.NormalizeText(reply).Contains(normalizedGold, StringComparison.Ordinal) ? 1 : 0;
                break;
            case AnswerKind.Regex:
                values["accuracy"] = answer.Strict is not null && AnswerExtractor.NormalizeText(answer.Strict) == AnswerExtractor.NormalizeText(gold) ? 1 : 0;
                values["accuracy_flexible"] = answer.Flexible is not null && AnswerExtractor.NormalizeText(answer.Flexible) == AnswerExtractor.NormalizeText(gold) ? 1 : values["accuracy"];
                break;
            default:
                return new SampleScore { Values = values, Ungraded = true, Reason = "needs a judge (--judge)" };
        }

        // A refusal is a reply that declines and did not answer correctly anyway; free-text kinds (an actor's name)
        // read a refusal sentence as an answer, so the reply itself decides, not whether something was extracted.
        var refusal = !IsRight(task.Kind, values) && RefusalDetector.IsRefusal(reply);
        return new SampleScore
        {
            Values = values,
            Strict = answer.Strict,
            Flexible = answer.Flexible,
            Refusal = refusal,
            Reason = refusal ? "refused" : answer.Strict is null ? answer.Flexible is null ? "no answer found" : "only the flexible rule found an answer" : null,
        };
    }

    /// <summary>A judge's verdict as a score; a failed verdict is a grading failure, never a pass.</summary>
    public static SampleScore ScoreJudged(JudgeVerdict verdict, string reply)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Correct is not { } correct)
        {
            return new SampleScore { Values = new Dictionary<string, double>(), Ungraded = true, Reason = "grading failed: " + verdict.Failure };
        }

        return new SampleScore
        {
            Values = new Dictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = correct ? 1 : 0 },
            Refusal = !correct && RefusalDetector.IsRefusal(reply),
            Reason = "judge: " + verdict.Reason,
        };
    }

    private static bool IsRight(AnswerKind kind, Dictionary<string, double> values) => kind switch
    {
        AnswerKind.CvssVector => values["mad"] < MaximumDeviation,
        AnswerKind.AttackTechniques => values["f1"] > 0,
        AnswerKind.ThreatActor => values["plausible"] > 0,
        _ => values.GetValueOrDefault("accuracy") > 0,
    };

    private static double Equal(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase) ? 1 : 0;

    private static string? Normalize(string? name) => name is null ? null : ThreatActorGraph.Normalize(name);

    private static double Deviation(double? predicted, double gold) => predicted is { } p ? Math.Round(Math.Abs(p - gold), 4) : MaximumDeviation;

    private static double? ParseNumber(string? text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static void AddF1(Dictionary<string, double> values, string suffix, SortedSet<string> predicted, SortedSet<string> gold)
    {
        var tp = predicted.Count(gold.Contains);
        var fp = predicted.Count - tp;
        var fn = gold.Count - tp;
        values["tp" + suffix] = tp;
        values["fp" + suffix] = fp;
        values["fn" + suffix] = fn;
        values["f1" + suffix] = tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
    }
}
