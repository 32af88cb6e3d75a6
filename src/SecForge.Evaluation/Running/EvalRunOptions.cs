using SecForge.Evaluation.Protocols;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Running;

/// <summary>What to run: tasks, their data, the protocol and its overrides, and where the run lives.</summary>
public sealed record EvalRunOptions
{
    public required IReadOnlyList<EvalTask> Tasks { get; init; }

    /// <summary>The folder searched for the benchmarks' files; custom tasks name their own.</summary>
    public string? DataDirectory { get; init; }

    public required string OutputDirectory { get; init; }

    public EvalProtocol Protocol { get; init; } = EvalProtocol.Benchmark;

    /// <summary>Overrides the protocol's trials.</summary>
    public int? Trials { get; init; }

    /// <summary>Overrides the protocol's temperature.</summary>
    public float? Temperature { get; init; }

    /// <summary>Only the first N items of each task, in file order.</summary>
    public int? Limit { get; init; }

    /// <summary>Items in flight at once.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Seeds shot sampling, sampling seeds and the bootstrap.</summary>
    public int Seed { get; init; } = 1;

    public EvalMethod Method { get; init; } = EvalMethod.Generate;

    /// <summary>Overrides the protocol's reply length limit.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>USD per million input tokens, to state the run's cost.</summary>
    public double? PricePerMillionInput { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public double? PricePerMillionOutput { get; init; }

    /// <summary>Trials in effect.</summary>
    public int EffectiveTrials => Trials ?? Protocol.Trials;

    /// <summary>Temperature in effect.</summary>
    public float EffectiveTemperature => Temperature ?? Protocol.Temperature;
}
