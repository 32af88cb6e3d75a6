using SecForge.Core.Randomness;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// Turns scored items into a task's results: each metric per trial, the mean over trials with its standard
/// deviation, and a seeded bootstrap 95% interval over items (on items' values averaged over trials).
/// </summary>
public static class MetricAggregator
{
    /// <summary>Bootstrap resamples.</summary>
    public const int Resamples = 1000;

    public static TaskResult Aggregate(string task, string? benchmark, AnswerKind kind, IReadOnlyList<ScoredItem> items, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        var scored = items.Where(i => !i.Failed && !i.Ungraded).ToList();
        // Length-normalised accuracy exists only where log-likelihoods of the options' texts were measured.
        var metrics = TaskMetric.For(kind)
            .Concat(scored.Any(i => i.Values.ContainsKey(TaskMetric.NormalisedAccuracy)) ? [new TaskMetric(TaskMetric.NormalisedAccuracy, TaskMetric.NormalisedAccuracy, true)] : [])
            .ToList();
        var trials = items.Count == 0 ? 0 : items.Max(i => i.Trial) + 1;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var intervals = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var byTrial = scored.GroupBy(i => i.Trial).OrderBy(g => g.Key).Select(g => g.Select(i => i.Values).ToList()).ToList();
        var bySample = scored.GroupBy(i => i.Sample, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Average(g.Select(i => i.Values).ToList()))
            .ToList();
        foreach (var metric in metrics)
        {
            if (scored.Count == 0)
            {
                continue;
            }

            if (!metric.MicroF1 && !scored.Any(i => i.Values.ContainsKey(metric.Key)))
            {
                // A value no item has (a flexible reading a published-answers file cannot give): not reported as 0.
                continue;
            }

            var perTrial = byTrial.Select(metric.Compute).ToList();
            var mean = perTrial.Average();
            values[metric.Name] = Math.Round(mean, 6);
            var (low, high) = Bootstrap(bySample, metric, seed);
            intervals[metric.Name] = new MetricValue(Math.Round(Std(perTrial), 6), Math.Round(low, 6), Math.Round(high, 6), perTrial.Select(v => Math.Round(v, 6)).ToList());
        }

        if (trials > 1 && MajorityVote(kind, scored) is { } majority)
        {
            var name = $"maj@{trials}";
            var metric = new TaskMetric(name, name, true);
            values[name] = Math.Round(majority.Average(m => m.GetValueOrDefault(name)), 6);
            var (low, high) = Bootstrap(majority, metric, seed);
            intervals[name] = new MetricValue(0, Math.Round(low, 6), Math.Round(high, 6), [values[name]]);
        }

        var refusals = items.Count(i => i.Refusal && !i.Failed);
        values["refusals"] = scored.Count == 0 ? 0 : Math.Round((double)refusals / scored.Count, 6);
        return new TaskResult
        {
            Task = task,
            Benchmark = benchmark,
            Samples = items.Select(i => i.Sample).Distinct(StringComparer.Ordinal).Count(),
            Trials = trials,
            Scored = scored.Count,
            Failed = items.Count(i => i.Failed),
            Ungraded = items.Count(i => i.Ungraded && !i.Failed),
            Refusals = refusals,
            Metrics = values,
            Intervals = intervals,
            Headline = metrics[0].Name,
        };
    }

    /// <summary>
    /// Each item's majority answer over its trials (ties go to the answer given first), scored against the gold answer:
    /// maj@k beside the mean over trials. Only for answers that are compared exactly (letters, letter sets, CWE ids).
    /// </summary>
    private static List<Dictionary<string, double>>? MajorityVote(AnswerKind kind, List<ScoredItem> scored)
    {
        Func<string, string>? normalize = kind switch
        {
            AnswerKind.MultipleChoice or AnswerKind.TrueFalse => a => a.Trim().ToUpperInvariant(),
            AnswerKind.MultipleAnswer => AnswerExtractor.NormalizeLetters,
            AnswerKind.Cwe => a => AnswerExtractor.NormalizeCwe(a) ?? a.Trim().ToUpperInvariant(),
            _ => null,
        };
        if (normalize is null || scored.All(i => i.Target is null))
        {
            return null;
        }

        var trials = scored.Max(i => i.Trial) + 1;
        var name = $"maj@{trials}";
        return scored.GroupBy(i => i.Sample, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var votes = g.OrderBy(i => i.Trial).Where(i => i.Answer is not null).Select(i => normalize(i.Answer!)).ToList();
                var winner = votes.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(v => v.Count()).ThenBy(v => votes.IndexOf(v.Key)).Select(v => v.Key).FirstOrDefault();
                var gold = g.First().Target;
                return new Dictionary<string, double>(StringComparer.Ordinal) { [name] = winner is not null && gold is not null && winner == normalize(gold) ? 1 : 0 };
            })
            .ToList();
    }

    private static Dictionary<string, double> Average(List<IReadOnlyDictionary<string, double>> trials)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in trials.SelectMany(t => t.Keys).Distinct(StringComparer.Ordinal))
        {
            result[key] = trials.Average(t => t.GetValueOrDefault(key));
        }

        return result;
    }

    private static double Std(List<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static (double Low, double High) Bootstrap(List<Dictionary<string, double>> samples, TaskMetric metric, int seed)
    {
        if (samples.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        // Flat arrays of the values the metric reads, so 1,000 resamples of thousands of items stay cheap.
        var keys = metric.MicroF1 ? new[] { "tp" + metric.Key, "fp" + metric.Key, "fn" + metric.Key } : [metric.Key];
        var columns = keys.Select(k => samples.Select(s => s.GetValueOrDefault(k)).ToArray()).ToArray();
        var random = new SplitMix64((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        var estimates = new double[Resamples];
        var n = samples.Count;
        for (var b = 0; b < Resamples; b++)
        {
            if (metric.MicroF1)
            {
                double tp = 0, fp = 0, fn = 0;
                for (var i = 0; i < n; i++)
                {
                    var pick = random.NextInt(n);
                    tp += columns[0][pick];
                    fp += columns[1][pick];
                    fn += columns[2][pick];
                }

                estimates[b] = tp == 0 ? 0 : 2 * tp / ((2 * tp) + fp + fn);
            }
            else
            {
                double sum = 0;
                var column = columns[0];
                for (var i = 0; i < n; i++)
                {
                    sum += column[random.NextInt(n)];
                }

                estimates[b] = sum / n;
            }
        }

        Array.Sort(estimates);
        return (Percentile(estimates, 0.025), Percentile(estimates, 0.975));
    }

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
