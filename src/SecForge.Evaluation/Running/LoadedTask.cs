using SecForge.Evaluation.Data;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Running;

/// <summary>A task with its items read (and cut to the run's limit).</summary>
public sealed record LoadedTask(EvalTask Task, TaskData Data)
{
    /// <summary>Reads <paramref name="task"/>'s files from <paramref name="files"/>; <paramref name="limit"/> keeps the first N items.</summary>
    public static LoadedTask Load(EvalTask task, BenchmarkFiles? files, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (files is null && task.Benchmark != "custom")
        {
            throw new Core.Errors.InputException($"task {task.Name} reads the benchmark's files: name the folder that holds them with --data", null, null, "--data");
        }

        var data = task.Load(files!);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in data.Samples)
        {
            if (!ids.Add(sample.Id))
            {
                throw new Core.Errors.InputException($"item id '{sample.Id}' appears twice", sample.Source);
            }
        }

        if (limit is { } n && n < data.Samples.Count)
        {
            data = data with { Samples = data.Samples.Take(n).ToList() };
        }

        return new LoadedTask(task, data);
    }
}
