using System.Globalization;
using SecForge.Evaluation.Running;
using SecForge.Reporting.Model;

namespace SecForge.Evaluation.Reports;

/// <summary>The report of one run: a results table, a chart of headline scores, each task's metrics and a few wrong answers to read.</summary>
public static class EvalReport
{
    public static Report Build(EvalResults results, string? logPath = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var report = new Report($"Evaluation: {results.Model}")
        {
            Subtitle = $"{results.Tasks.Count} task(s), protocol {results.Protocol}, {results.Trials} trial(s) at temperature {Format(results.Temperature)}",
        };
        report.AddFact("Model", results.Model)
            .AddFact("Protocol", results.Protocol)
            .AddFact("Method", results.Method)
            .AddFact("Trials", results.Trials.ToString(CultureInfo.InvariantCulture))
            .AddFact("Temperature", Format(results.Temperature))
            .AddFact("Seed", results.Seed.ToString(CultureInfo.InvariantCulture));
        if (results.Limit is { } limit)
        {
            report.AddFact("Limit", $"first {limit} items per task");
        }

        if (results.Usage is { } usage)
        {
            report.AddFact("Requests", $"{usage.Requests + usage.CacheHits:N0}: {usage.CacheHits:N0} from the cache, {usage.Requests:N0} sent ({usage.Calls:N0} model calls, {usage.Retries:N0} retries, {usage.Failures:N0} failed)");
            report.AddFact("Tokens", $"{usage.InputTokens:N0} in, {usage.OutputTokens:N0} out");
        }

        if (results.CostUsd is { } cost)
        {
            report.AddFact("Cost", $"${cost:0.####}");
        }

        var summary = report.AddSection("Results", "Each task's headline metric: the mean over trials, its standard deviation over trials (with two trials or more) and a bootstrap 95% interval over items. Refusals count as wrong; failed items (model calls that failed after their retries) are left out of the metrics and counted; rows of the benchmark's files that cannot be asked or scored are skipped and listed.");
        summary.Add(new TableBlock(
            ["task", "metric", "value", "± std", "95% CI", "items", "skipped", "trials", "refusals", "failed", "ungraded"],
            results.Tasks.Values.Select(t =>
            {
                var name = t.Headline ?? "accuracy";
                var value = t.Metrics.TryGetValue(name, out var v) ? Format(v) : "-";
                var spread = t.Intervals.GetValueOrDefault(name);
                return (IReadOnlyList<string>)[t.Task, name, value, Std(spread, t.Trials), spread is null ? "-" : $"{Format(spread.CiLow)}–{Format(spread.CiHigh)}", t.Samples.ToString(CultureInfo.InvariantCulture), t.Skipped.ToString(CultureInfo.InvariantCulture), t.Trials.ToString(CultureInfo.InvariantCulture), t.Refusals.ToString(CultureInfo.InvariantCulture), t.Failed.ToString(CultureInfo.InvariantCulture), t.Ungraded.ToString(CultureInfo.InvariantCulture)];
            }).ToList()));
        var shares = results.Tasks.Values.Where(t => t.Headline is not null && !IsDeviation(t.Headline) && t.Metrics.ContainsKey(t.Headline)).ToList();
        if (shares.Count > 0)
        {
            summary.Add(new BarChartBlock("Headline score by task (0–1, higher is better)", [results.Model], shares.Select(t => new BarCategory($"{t.Task} ({t.Headline})", [t.Metrics[t.Headline!]])).ToList(), 1, "0.000"));
        }

        // A deviation is not a share: lower is better and it runs from 0 to 10 (CVSS points), so it gets its own chart.
        var deviations = results.Tasks.Values.Where(t => t.Headline is not null && IsDeviation(t.Headline) && t.Metrics.ContainsKey(t.Headline)).ToList();
        if (deviations.Count > 0)
        {
            summary.Add(new BarChartBlock("Mean absolute deviation by task (CVSS points, 0–10, lower is better)", [results.Model], deviations.Select(t => new BarCategory($"{t.Task} ({t.Headline})", [t.Metrics[t.Headline!]])).ToList(), 10, "0.000"));
        }

        foreach (var task in results.Tasks.Values)
        {
            if (task.Failed > 0)
            {
                summary.Add(new NoteBlock(NoteKind.Warning, $"{task.Task}: {task.Failed} item×trial pair(s) failed after their retries; rerun the same command to retry them."));
            }

            if (task.Ungraded > 0)
            {
                summary.Add(new NoteBlock(NoteKind.Info, $"{task.Task}: {task.Ungraded} repl(ies) need a judge model to be graded (--judge SPEC)."));
            }

            if (task.Skipped > 0)
            {
                summary.Add(new NoteBlock(NoteKind.Info, $"{task.Task}: {task.Skipped} row(s) of the benchmark's files cannot be asked or scored and were skipped: {string.Join("; ", (task.SkippedItems ?? []).Take(5))}{(task.Skipped > 5 ? "; …" : string.Empty)}"));
            }
        }

        var latest = logPath is null ? null : EvalResultsBuilder.ReadLatestAsync(logPath).GetAwaiter().GetResult();
        foreach (var task in results.Tasks.Values)
        {
            var section = report.AddSection(task.Task, $"{task.Benchmark}: {task.Samples} items × {task.Trials} trial(s); {task.Scored} scored.");
            section.Add(new TableBlock(
                ["metric", "value", "± std", "95% CI", "per trial"],
                task.Metrics.Select(m =>
                {
                    var spread = task.Intervals.GetValueOrDefault(m.Key);
                    return (IReadOnlyList<string>)[m.Key, Format(m.Value), Std(spread, task.Trials), spread is null ? "-" : $"{Format(spread.CiLow)}–{Format(spread.CiHigh)}", spread is null || task.Trials < 2 ? "-" : string.Join(" ", spread.PerTrial.Take(10).Select(Format))];
                }).ToList()));
            if (latest is null)
            {
                continue;
            }

            var headlineKey = task.Headline switch
            {
                "f1_micro" => "f1",
                { } h => h,
                null => "accuracy",
            };
            var wrong = latest.Values
                .Where(e => e.Task == task.Task && e.Error is null && e.Values is { } v && v.TryGetValue(headlineKey, out var x) && (headlineKey.StartsWith("mad", StringComparison.Ordinal) ? x > 0 : x < 1))
                .OrderBy(e => e.Trial).ThenBy(e => e.Sample, StringComparer.Ordinal)
                .Take(3)
                .ToList();
            foreach (var entry in wrong)
            {
                section.Add(new CodeBlock(
                    $"{Shorten(entry.Prompt, 600)}\n\n--- reply ---\n{Shorten(entry.Reply, 800)}",
                    $"item {entry.Sample}, trial {entry.Trial}: read '{entry.Strict ?? "(nothing)"}' (flexible '{entry.Flexible ?? "(nothing)"}'), gold '{entry.Target}'{(entry.Refusal ? ", a refusal" : string.Empty)}"));
            }
        }

        return report;
    }

    /// <summary>The spread over trials; "-" with one trial, where there is none to show.</summary>
    private static string Std(Scoring.MetricValue? spread, int trials) => spread is null || trials < 2 || spread.PerTrial.Count < 2 ? "-" : Format(spread.Std);

    private static bool IsDeviation(string metric) => metric.StartsWith("mad", StringComparison.Ordinal);

    /// <summary>A metric value with three decimals; "-" for none.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Shorten(string? text, int max) => text is null ? string.Empty : text.Length <= max ? text : text[..max] + " …";
}
