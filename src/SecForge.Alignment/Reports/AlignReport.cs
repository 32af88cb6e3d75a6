using System.Globalization;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Reporting.Model;

namespace SecForge.Alignment.Reports;

/// <summary>report.html of an alignment run: counts per category and action, rejections, sampled before/after pairs.</summary>
public static class AlignReport
{
    public static Report Build(AlignStats stats, IReadOnlyList<AlignSample> samples)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(samples);
        var report = new Report("Safety alignment") { Subtitle = $"{Path.GetFileName(stats.Input)} ({stats.Format}): {stats.Records:N0} records" };
        report.AddFact("input", stats.Input).AddFact("triage", stats.Triage).AddFact("rewriter", stats.Rewriter)
            .AddFact("similarity", string.Create(CultureInfo.InvariantCulture, $"{stats.Similarity}, threshold {stats.SimilarityThreshold:0.00}"));
        var summary = report.AddSection("Summary");
        summary.Add(new MetricsBlock(ActionNames.Select(a => new Metric(a, N(stats.Actions.GetValueOrDefault(a)))).Concat(
        [
            new Metric("written", N(stats.Written), "records in the aligned dataset"),
            new Metric("entity retention", stats.MeanEntityRetention is { } m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-", stats.MinEntityRetention is { } min ? "min " + min.ToString("0.000", CultureInfo.InvariantCulture) : null),
        ]).ToList()));
        summary.Add(new ParagraphBlock("Benign pairs are kept unchanged; dual-use pairs keep their technical content and gain authorisation and scope, the legal and ethical context, isolated-lab use, and detection and mitigation; harmful pairs become a refusal with a safe alternative. A rewrite that fails verification is rejected with its reason and left out of the aligned dataset (see rejected.jsonl and decisions.jsonl)."));

        var perCategory = report.AddSection("By category");
        perCategory.Add(new TableBlock(
            ["category", .. ActionNames, "total"],
            stats.Categories.Select(c => (IReadOnlyList<string>)[c.Key, .. ActionNames.Select(a => N(c.Value.GetValueOrDefault(a))), N(c.Value.Values.Sum())]).ToList()));
        perCategory.Add(new BarChartBlock(
            "Records per category and action",
            Shown,
            stats.Categories.Select(c => new BarCategory(c.Key, Shown.Select(a => (double?)c.Value.GetValueOrDefault(a)).ToList())).ToList(),
            ValueFormat: "0"));
        perCategory.Add(new TableBlock(["triage", "records"], TriageClasses.Names.Select(l => (IReadOnlyList<string>)[l, N(stats.TriageClasses.GetValueOrDefault(l))]).ToList()));

        if (stats.RejectionReasons.Count > 0)
        {
            report.AddSection("Rejections", "Why rewrites failed verification.")
                .Add(new TableBlock(["reason", "records"], stats.RejectionReasons.Select(r => (IReadOnlyList<string>)[r.Key, N(r.Value)]).ToList()));
        }

        var examples = report.AddSection("Before and after", "A seeded sample of changed and rejected records.");
        if (samples.Count == 0)
        {
            examples.Add(new NoteBlock(NoteKind.Info, "No record was changed or rejected."));
        }

        foreach (var sample in samples)
        {
            var triage = sample.Decision.Triage is { } t ? TriageClasses.Name(t) : "unread";
            var caption = $"#{sample.Index + 1}{(sample.Decision.Id is { } id ? " (" + id + ")" : string.Empty)}: {triage} / {sample.Decision.CategoryName}, {AlignActions.Name(sample.Decision.Action)}: {sample.Decision.Reason}";
            if (sample.After is null)
            {
                examples.Add(new NoteBlock(NoteKind.Warning, caption));
                examples.Add(new CodeBlock(sample.Before, "original"));
            }
            else
            {
                examples.Add(new ComparisonBlock("before", sample.Before, "after", sample.After, caption));
                examples.Add(new CodeBlock(LineDiff.Render(sample.Before, sample.After), "line diff (+ added, - removed)"));
            }
        }

        return report;
    }

    private static readonly string[] ActionNames = AlignActions.All.Select(AlignActions.Name).ToArray();

    private static readonly string[] Shown = [.. new[] { AlignAction.Kept, AlignAction.Rewritten, AlignAction.Refused, AlignAction.Rejected }.Select(AlignActions.Name)];

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
