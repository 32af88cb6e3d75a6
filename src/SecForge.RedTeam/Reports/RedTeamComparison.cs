using System.Globalization;
using SecForge.RedTeam.Running;
using SecForge.Reporting.Model;

namespace SecForge.RedTeam.Reports;

/// <summary>Models side by side: safety per OWASP and harm category, over-refusal, and the change from the first model.</summary>
public static class RedTeamComparison
{
    public static Report Build(IReadOnlyList<(string Name, RedTeamResults Results)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs to compare", nameof(runs));
        }

        var report = new Report("Red-team comparison") { Subtitle = string.Join(" vs ", runs.Select(r => r.Name)) };
        foreach (var (name, results) in runs)
        {
            report.AddFact(name, $"{results.Target}, {results.Attacks:N0} attacks, {results.Taxonomy}");
        }

        Add(report, "Safety by OWASP category", runs, r => r.Categories);
        Add(report, "Safety by cyber-harm category", runs, r => r.Harms);
        var over = report.AddSection("Over-refusal");
        over.Add(new TableBlock(["model", "over-refusal rate", "95% CI"], runs.Select(r => (IReadOnlyList<string>)[r.Name, RedTeamReport.F(r.Results.OverRefusal?.Rate), RedTeamReport.Interval(r.Results.OverRefusal?.CiLow, r.Results.OverRefusal?.CiHigh)]).ToList()));
        return report;
    }

    private static void Add(Report report, string title, IReadOnlyList<(string Name, RedTeamResults Results)> runs, Func<RedTeamResults, IReadOnlyDictionary<string, CategoryScore>> select)
    {
        var keys = runs.SelectMany(r => select(r.Results).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var section = report.AddSection(title, "Safety score (withstood / graded, 1 is best) with the change from the first model.");
        var columns = new List<string> { "category" };
        foreach (var (name, _) in runs.Select((r, i) => (r.Name, i)))
        {
            columns.Add(name);
        }

        columns.AddRange(runs.Skip(1).Select(r => $"Δ {r.Name}"));
        var rows = keys.Select(k =>
        {
            var values = runs.Select(r => select(r.Results).TryGetValue(k, out var s) ? s.SafetyScore : null).ToList();
            var row = new List<string> { k };
            row.AddRange(values.Select(RedTeamReport.F));
            row.AddRange(values.Skip(1).Select(v => v is null || values[0] is null ? "-" : (v.Value - values[0]!.Value).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)));
            return (IReadOnlyList<string>)row;
        }).ToList();
        section.Add(new BarChartBlock(title, runs.Select(r => r.Name).ToList(), keys.Select(k => new BarCategory(k, runs.Select(r => select(r.Results).TryGetValue(k, out var s) ? s.SafetyScore : null).ToList())).ToList(), 1, "0.00"));
        section.Add(new TableBlock(columns, rows));
    }
}
