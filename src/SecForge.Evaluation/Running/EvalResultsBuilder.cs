using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Running;

/// <summary>Computes results from a run's log: the last entry of each (task, item, trial) counts.</summary>
public static class EvalResultsBuilder
{
    /// <summary>Reads the log and aggregates every task of <paramref name="tasks"/> into <paramref name="run"/>'s description.</summary>
    public static async Task<EvalResults> FromLogAsync(string logPath, IReadOnlyList<LoadedTask> tasks, EvalResults run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(run);
        var entries = await ReadLatestAsync(logPath, cancellationToken).ConfigureAwait(false);
        var results = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        foreach (var loaded in tasks)
        {
            var wanted = loaded.Data.Samples.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var items = entries.Values
                .Where(e => e.Task == loaded.Task.Name && wanted.Contains(e.Sample) && e.Trial < run.Trials)
                .Select(ToItem)
                .ToList();
            results[loaded.Task.Name] = MetricAggregator.Aggregate(loaded.Task.Name, loaded.Task.Benchmark, loaded.Task.Kind, items, run.Seed) with
            {
                Skipped = loaded.Data.Skipped.Count,
                SkippedItems = loaded.Data.Skipped.Take(TaskResult.SkippedShown).Select(s => s.ToString()).ToList(),
            };
        }

        return run with { Tasks = results };
    }

    /// <summary>The last entry of each key, in log order of first appearance.</summary>
    public static async Task<Dictionary<string, EvalLogEntry>> ReadLatestAsync(string logPath, CancellationToken cancellationToken = default)
    {
        var entries = new Dictionary<string, EvalLogEntry>(StringComparer.Ordinal);
        if (!File.Exists(logPath))
        {
            return entries;
        }

        await foreach (var record in JsonlReader.ReadAsync<EvalLogEntry>(logPath, SecForgeJson.Compact, cancellationToken).ConfigureAwait(false))
        {
            if (record.Value is { } entry)
            {
                entries[entry.Key] = entry;
            }
        }

        return entries;
    }

    /// <summary>A log entry as aggregation sees it.</summary>
    public static ScoredItem ToItem(EvalLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ScoredItem(entry.Sample, entry.Trial, entry.Values ?? new Dictionary<string, double>(), entry.Refusal, entry.Ungraded, entry.Error is not null, entry.Strict, entry.Target);
    }
}
