using System.Globalization;
using SecForge.RedTeam.Running;
using SecForge.Reporting.Model;

namespace SecForge.RedTeam.Reports;

/// <summary>The report of a red-team run: safety per category, attack success per strategy, over-refusal, and successful attacks to read.</summary>
public static class RedTeamReport
{
    public static Report Build(RedTeamResults results, IReadOnlyList<Attempt>? attempts = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var report = new Report($"Red team: {results.Target}")
        {
            Subtitle = $"{results.Attacks:N0} attacks against the OWASP Top 10 for LLM Applications ({results.Taxonomy})",
        };
        report.AddFact("Target", results.Target)
            .AddFact("Judge", results.Judge ?? "none (deterministic graders decide; judge-only checks are ungraded)")
            .AddFact("Attacker", results.Attacker ?? "none")
            .AddFact("Taxonomy", results.Taxonomy)
            .AddFact("Attacks", $"{results.Attacks:N0} ({results.Failed:N0} could not be sent)");
        if (results.Usage is { } usage)
        {
            report.AddFact("Requests", $"{usage.Requests + usage.CacheHits:N0}: {usage.CacheHits:N0} from the cache, {usage.Calls:N0} model calls");
        }

        var owasp = report.AddSection("Safety by OWASP category", "Safety score = the share of graded attacks the target withstood (1 is best), with a Wilson 95% interval. Each entry's counterparts in the 2023 (v1.1) and 2026 lists are shown beside it.");
        if (results.Categories.Count > 0)
        {
            owasp.Add(new BarChartBlock("Safety score by category", [results.Target], results.Categories.Select(c => new BarCategory($"{c.Key} {c.Value.Name}", [c.Value.SafetyScore])).ToList(), 1, "0.00"));
            owasp.Add(ScoreTable(results.Categories, withMapping: true));
        }

        if (results.Harms.Count > 0)
        {
            var harms = report.AddSection("Cyber-harm categories", "Requests with clear intent to harm a third party (the categories fine-tuning on pseudo-malicious data erodes).");
            harms.Add(new BarChartBlock("Safety score by harm", [results.Target], results.Harms.Select(c => new BarCategory(c.Key, [c.Value.SafetyScore])).ToList(), 1, "0.00"));
            harms.Add(ScoreTable(results.Harms, withMapping: false));
        }

        if (results.Strategies.Count > 0)
        {
            var strategies = report.AddSection("Attack success by strategy", "The share of graded attacks that succeeded when delivered this way (0 is best).");
            strategies.Add(new BarChartBlock("Attack success rate", [results.Target], results.Strategies.Select(s => new BarCategory(s.Key, [s.Value.AttackSuccessRate])).ToList(), 1, "0.00"));
            strategies.Add(new TableBlock(
                ["strategy", "attack success rate", "95% CI", "attempts", "succeeded", "withstood", "ungraded"],
                results.Strategies.Select(s => (IReadOnlyList<string>)[s.Key, F(s.Value.AttackSuccessRate), Interval(s.Value.CiLow, s.Value.CiHigh), N(s.Value.Attempts), N(s.Value.Succeeded), N(s.Value.Withstood), N(s.Value.Ungraded)]).ToList()));
        }

        if (results.OverRefusal is { } over)
        {
            var section = report.AddSection("Over-refusal", "Benign defensive-security requests (detection rules, hardening, incident response, explaining fixes) the target refused.");
            section.Add(new MetricsBlock([new Metric("Over-refusal rate", F(over.Rate), Interval(over.CiLow, over.CiHigh)), new Metric("Refused", N(over.Refused), $"of {N(over.Prompts)}"), new Metric("Ungraded", N(over.Ungraded))]));
        }

        var succeeded = (attempts ?? []).Where(a => a.Verdict == AttemptVerdict.Unsafe && !a.Benign).OrderBy(a => a.AttackId, StringComparer.Ordinal).Take(12).ToList();
        if (succeeded.Count > 0)
        {
            var section = report.AddSection("Successful attacks", "A sample of attacks the target did not withstand, with the grader that decided and why.");
            foreach (var attempt in succeeded)
            {
                var last = attempt.Transcript.Count == 0 ? null : attempt.Transcript[^1];
                section.Add(new CodeBlock(
                    $"USER: {Shorten(last?.User, 500)}\n\nASSISTANT: {Shorten(last?.Reply, 700)}{(last is { ToolCalls.Count: > 0 } ? "\n\nTOOL CALLS: " + string.Join(", ", last.ToolCalls.Select(c => c.Name)) : string.Empty)}",
                    $"{attempt.AttackId} ({attempt.Category}, {attempt.Strategy}): {attempt.DecidedBy}: {attempt.Reason}"));
            }
        }

        return report;
    }

    private static TableBlock ScoreTable(IReadOnlyDictionary<string, CategoryScore> scores, bool withMapping)
    {
        var columns = new List<string> { "category", "name", "safety", "95% CI", "attacks", "withstood", "succeeded", "ungraded", "failed" };
        if (withMapping)
        {
            columns.AddRange(["2023 (v1.1)", "2026"]);
        }

        return new TableBlock(columns, scores.Select(c =>
        {
            var row = new List<string> { c.Key, c.Value.Name, F(c.Value.SafetyScore), Interval(c.Value.CiLow, c.Value.CiHigh), N(c.Value.Attacks), N(c.Value.Withstood), N(c.Value.Succeeded), N(c.Value.Ungraded), N(c.Value.Failed) };
            if (withMapping)
            {
                row.Add(string.Join(", ", c.Value.V2023 ?? []));
                row.Add(string.Join(", ", c.Value.V2026 ?? []));
            }

            return (IReadOnlyList<string>)row;
        }).ToList());
    }

    /// <summary>A score with two decimals; "-" for none.</summary>
    public static string F(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    /// <summary>"0.80–0.95"; "-" for none.</summary>
    public static string Interval(double? low, double? high) => low is null || high is null ? "-" : $"{F(low)}–{F(high)}";

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string? text, int max) => text is null ? string.Empty : text.Length <= max ? text : text[..max] + " …";
}
