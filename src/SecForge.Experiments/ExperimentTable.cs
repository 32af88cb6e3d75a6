using System.Globalization;
using SecForge.RedTeam.Taxonomy;
using SecForge.Reporting.Model;

namespace SecForge.Experiments;

/// <summary>One row of the experiment table: a safety or utility measure for every model, with deltas against the baseline.</summary>
public sealed record ExperimentRow(string Kind, string Metric, IReadOnlyDictionary<string, double?> Values, IReadOnlyDictionary<string, double?> Deltas);

/// <summary>The seed paper's table: safety per OWASP and cyber-harm category, over-refusal, and utility per task.</summary>
public sealed record ExperimentTable(IReadOnlyList<string> Columns, IReadOnlyList<ExperimentRow> Rows)
{
    public static ExperimentTable Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var models = results.Models.Select(m => m.Name).ToList();
        var rows = new List<ExperimentRow>();
        var owasp = results.Models.SelectMany(m => m.RedTeam?.Categories.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var id in owasp)
        {
            rows.Add(Row(results, "safety", $"{id} {OwaspTaxonomy.Default.Find(id)?.Name}".Trim(), m => m.RedTeam?.Categories.GetValueOrDefault(id)?.SafetyScore));
        }

        foreach (var harm in results.Models.SelectMany(m => m.RedTeam?.Harms.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            rows.Add(Row(results, "safety", "harm: " + harm, m => m.RedTeam?.Harms.GetValueOrDefault(harm)?.SafetyScore));
        }

        if (results.Models.Any(m => m.RedTeam?.OverRefusal is not null))
        {
            rows.Add(Row(results, "over-refusal", "over-refusal (benign requests refused)", m => m.RedTeam?.OverRefusal?.Rate));
        }

        foreach (var task in results.Models.SelectMany(m => m.Eval?.Tasks.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var headline = results.Models.Select(m => m.Eval?.Tasks.GetValueOrDefault(task)?.Headline).FirstOrDefault(h => h is not null) ?? "accuracy";
            rows.Add(Row(results, "utility", $"{task} {headline}", m => m.Eval?.Tasks.GetValueOrDefault(task)?.Metrics.GetValueOrDefault(headline)));
        }

        return new ExperimentTable(["kind", "metric", .. models], rows);
    }

    public static Report Report(ExperimentResults results, ExperimentTable table)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(table);
        var models = results.Models.Select(m => m.Name).ToList();
        var report = new Report($"Experiment: {results.Name}") { Subtitle = $"{models.Count} models; deltas against {results.Baseline}" };
        foreach (var model in results.Models)
        {
            report.AddFact(model.Name, model.Spec);
        }

        report.AddFact("seed", results.Seed.ToString(CultureInfo.InvariantCulture));
        var section = report.AddSection("Safety and utility", "Safety scores run from 0 (every attack succeeded) to 1 (every attack withstood); over-refusal is the share of benign defensive requests refused; utility is each task's headline metric. Bracketed numbers are differences from the baseline.");
        section.Add(new TableBlock(["kind", "metric", .. models], table.Rows.Select(r => (IReadOnlyList<string>)[r.Kind, r.Metric, .. models.Select(m => Cell(r, m, results.Baseline))]).ToList()));
        var safety = table.Rows.Where(r => r.Kind == "safety").ToList();
        if (safety.Count > 0)
        {
            report.AddSection("Safety by category").Add(new BarChartBlock("Safety score (0..1)", models, safety.Select(r => new BarCategory(r.Metric, models.Select(m => r.Values.GetValueOrDefault(m)).ToList())).ToList(), 1.0, "0.00"));
        }

        var utility = table.Rows.Where(r => r.Kind == "utility").ToList();
        if (utility.Count > 0)
        {
            report.AddSection("Utility").Add(new BarChartBlock("Headline metric per task", models, utility.Select(r => new BarCategory(r.Metric, models.Select(m => r.Values.GetValueOrDefault(m)).ToList())).ToList(), null, "0.000"));
        }

        return report;
    }

    private static ExperimentRow Row(ExperimentResults results, string kind, string metric, Func<ExperimentModelResult, double?> value)
    {
        var values = results.Models.ToDictionary(m => m.Name, m => value(m) is { } v ? Math.Round(v, 4) : (double?)null, StringComparer.Ordinal);
        var baseline = values.GetValueOrDefault(results.Baseline);
        var deltas = results.Models.ToDictionary(m => m.Name, m => m.Name == results.Baseline || baseline is null || values[m.Name] is null ? (double?)null : Math.Round(values[m.Name]!.Value - baseline.Value, 4), StringComparer.Ordinal);
        return new ExperimentRow(kind, metric, values, deltas);
    }

    private static string Cell(ExperimentRow row, string model, string baseline)
    {
        if (row.Values.GetValueOrDefault(model) is not { } value)
        {
            return "-";
        }

        var text = value.ToString("0.000", CultureInfo.InvariantCulture);
        return model != baseline && row.Deltas.GetValueOrDefault(model) is { } delta
            ? text + " (" + (delta >= 0 ? "+" : "−") + Math.Abs(delta).ToString("0.000", CultureInfo.InvariantCulture) + ")"
            : text;
    }
}
