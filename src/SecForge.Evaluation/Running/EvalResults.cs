using SecForge.Evaluation.Scoring;
using SecForge.Models.Middleware;

namespace SecForge.Evaluation.Running;

/// <summary>A run's results.json: what was run and each task's metrics.</summary>
public sealed record EvalResults
{
    public required string Model { get; init; }

    public required string Protocol { get; init; }

    public required string Method { get; init; }

    public int Seed { get; init; }

    public int Trials { get; init; }

    public double Temperature { get; init; }

    public int? Limit { get; init; }

    public string? Data { get; init; }

    /// <summary>Each task's results by task name.</summary>
    public required IReadOnlyDictionary<string, TaskResult> Tasks { get; init; }

    /// <summary>Model usage of the invocation that wrote this file (a resumed run counts only its own calls).</summary>
    public ModelUsageSnapshot? Usage { get; init; }

    /// <summary>USD for this invocation's calls, when prices were given.</summary>
    public double? CostUsd { get; init; }

    public double ElapsedSeconds { get; init; }

    public string? Version { get; init; }
}
