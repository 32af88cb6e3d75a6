using System.Globalization;
using SecForge.Evaluation.Running;
using SecForge.Reporting.Model;

namespace SecForge.Evaluation.Reports;

/// <summary>Runs side by side: every task metric of every run, with its interval and the delta to the first run.</summary>
public static class EvalComparison
{
    public static Report Build(IReadOnlyList<(string Name, EvalResults Results)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs to compare", nameof(runs));
        }

        var report = new Report("Evaluation comparison")
        {
            Subtitle = string.Join(" vs ", runs.Select(r => r.Name)),
        };
        foreach (var (name, results) in runs)
        {
            report.AddFact(name, $"{results.Model}, protocol {results.Protocol}, {results.Trials} trial(s), T {EvalReport.Format(results.Temperature)}");
        }

        var baseline = runs[0];
        var tasks = runs.SelectMany(r => r.Results.Tasks.Keys).Distinct(StringComparer.Ordinal).ToList();
        var columns = new List<string> { "task", "metric" };
        foreach (var (name, _) in runs)
        {
            columns.Add(name);
            if (!ReferenceEquals(name, baseline.Name))
            {
                columns.Add($"Δ vs {baseline.Name}");
            }
        }

        var rows = new List<IReadOnlyList<string>>();
        var chart = new List<Reporting.Model.BarCategory>();
        foreach (var task in tasks)
        {
            var metrics = runs.SelectMany(r => r.Results.Tasks.TryGetValue(task, out var t) ? t.Metrics.Keys : []).Distinct(StringComparer.Ordinal).ToList();
            foreach (var metric in metrics)
            {
                var row = new List<string> { task, metric };
                var first = Value(baseline.Results, task, metric);
                foreach (var (name, results) in runs)
                {
                    var value = Value(results, task, metric);
                    var spread = results.Tasks.TryGetValue(task, out var t) ? t.Intervals.GetValueOrDefault(metric) : null;
                    row.Add(value is null ? "-" : spread is null ? EvalReport.Format(value.Value) : $"{EvalReport.Format(value.Value)} [{EvalReport.Format(spread.CiLow)}–{EvalReport.Format(spread.CiHigh)}]");
                    if (!ReferenceEquals(name, baseline.Name))
                    {
                        row.Add(value is null || first is null ? "-" : (value.Value - first.Value).ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture));
                    }
                }

                rows.Add(row);
            }

            var headline = runs.Select(r => r.Results.Tasks.GetValueOrDefault(task)?.Headline).FirstOrDefault(h => h is not null);
            if (headline is not null && !headline.StartsWith("mad", StringComparison.Ordinal))
            {
                chart.Add(new BarCategory($"{task} ({headline})", runs.Select(r => Value(r.Results, task, headline)).ToList()));
            }
        }

        var section = report.AddSection("Metrics", "Each metric with its bootstrap 95% interval, and its difference from the first run.");
        section.Add(new TableBlock(columns, rows));
        if (chart.Count > 0)
        {
            section.Add(new BarChartBlock("Headline score by task", runs.Select(r => r.Name).ToList(), chart, 1, "0.000"));
        }

        return report;
    }

    private static double? Value(EvalResults results, string task, string metric) =>
        results.Tasks.TryGetValue(task, out var t) && t.Metrics.TryGetValue(metric, out var v) && !double.IsNaN(v) ? v : null;
}
