using SecForge.Evaluation.Tasks.Benchmarks;

namespace SecForge.Evaluation.Tasks;

/// <summary>The built-in tasks, by name.</summary>
public static class BuiltinTasks
{
    private static readonly Lazy<IReadOnlyList<EvalTask>> LazyAll = new(() =>
        [.. CtiBench.Tasks(), .. CyberMetric.Tasks(), .. SecBench.Tasks(), .. SecEval.Tasks(), .. Secure.Tasks(), .. Mmlu.Tasks(), .. SevenLlm.Tasks()]);

    /// <summary>Every built-in task, in listing order.</summary>
    public static IReadOnlyList<EvalTask> All => LazyAll.Value;

    /// <summary>The task named <paramref name="name"/>, or null.</summary>
    public static EvalTask? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
