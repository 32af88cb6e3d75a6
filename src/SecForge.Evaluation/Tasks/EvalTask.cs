using System.Text.RegularExpressions;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks;

/// <summary>
/// A benchmark task: where its items come from, what an answer is, how its authors prompted, and how it is
/// scored. Built-in tasks read the benchmarks' own files (see <see cref="BuiltinTasks"/>); custom tasks come
/// from YAML (see <see cref="CustomTask"/>).
/// </summary>
public sealed class EvalTask
{
    /// <summary>The name used on the command line ("ctibench-mcq").</summary>
    public required string Name { get; init; }

    /// <summary>The benchmark it belongs to ("CTIBench").</summary>
    public required string Benchmark { get; init; }

    /// <summary>One line on what it measures.</summary>
    public required string Description { get; init; }

    /// <summary>The file names searched for under the data folder, as the benchmark distributes them.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>What an answer is.</summary>
    public required AnswerKind Kind { get; init; }

    /// <summary>Valid option letters for choice kinds.</summary>
    public string Labels { get; init; } = "ABCD";

    /// <summary>The protocol its authors used.</summary>
    public NativePromptStyle Native { get; init; } = NativePromptStyle.Plain;

    /// <summary>The instruction the benchmark gives for the whole task, used when items carry none.</summary>
    public string? Instruction { get; init; }

    /// <summary>The instruction for one item where it depends on the item (MMLU's subject); null falls back to <see cref="Instruction"/>.</summary>
    public Func<EvalSample, string?>? InstructionFor { get; init; }

    /// <summary>The instruction for <paramref name="sample"/>.</summary>
    public string? InstructionOf(EvalSample sample) => InstructionFor?.Invoke(sample) ?? Instruction;

    /// <summary>The reading of the task's files.</summary>
    public required Func<BenchmarkFiles, TaskData> Load { get; init; }

    /// <summary>Numeric answers within this distance are correct.</summary>
    public double Tolerance { get; init; }

    /// <summary>For <see cref="AnswerKind.Regex"/>: the pattern whose first group (or match) is the answer.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>For <see cref="AnswerKind.Judge"/>: what the judge checks the reply against.</summary>
    public string? Rubric { get; init; }

    /// <summary>True when a judge model must grade the replies.</summary>
    public bool NeedsJudge => Kind == AnswerKind.Judge;

    /// <summary>True when items have options a model can be scored on by log-likelihood.</summary>
    public bool HasOptions => Kind is AnswerKind.MultipleChoice or AnswerKind.TrueFalse;
}
