using SecForge.Core.Errors;

namespace SecForge.Evaluation.Protocols;

/// <summary>
/// How a model is asked and sampled: which prompts, how many trials at what temperature, whether a base model
/// gets few-shot raw completion. Presets reproduce published protocols; <c>--trials</c>, <c>--temperature</c> and
/// friends override single settings.
/// </summary>
public sealed record EvalProtocol
{
    /// <summary>The preset's name, recorded with the run.</summary>
    public required string Name { get; init; }

    /// <summary>Which prompts are used.</summary>
    public required PromptStyle Style { get; init; }

    /// <summary>Repetitions of every item; metrics are the mean over trials ± their standard deviation.</summary>
    public int Trials { get; init; } = 1;

    /// <summary>Sampling temperature.</summary>
    public float Temperature { get; init; }

    /// <summary>Few-shot examples for base models (raw completion).</summary>
    public int Shots { get; init; }

    /// <summary>Re-asks on a reply the strict rule cannot read (CyberMetric: up to 5).</summary>
    public int MalformedRetries { get; init; }

    /// <summary>Most tokens a reply may have.</summary>
    public int MaxOutputTokens { get; init; } = 1024;

    /// <summary>The prefix of a base model's few-shot prompt.</summary>
    public string FewShotPrefix { get; init; } = "The following are multiple choice questions about computer security.";

    /// <summary>Each benchmark's own protocol (the default).</summary>
    public static EvalProtocol Benchmark { get; } = new() { Name = "benchmark", Style = PromptStyle.Native };

    /// <summary>CTIBench's: its system prompt, each item's Prompt, temperature 0.</summary>
    public static EvalProtocol CtiBench { get; } = new() { Name = "ctibench", Style = PromptStyle.CtiBench };

    /// <summary>CyberMetric's: its prompt and "ANSWER: X", up to 5 retries on a malformed reply.</summary>
    public static EvalProtocol CyberMetric { get; } = new() { Name = "cybermetric", Style = PromptStyle.CyberMetric, MalformedRetries = 5 };

    /// <summary>Foundation-Sec-8B's for instruct models: 0-shot with the benchmark's own instruction, no system prompt, T 0.3, 10 trials.</summary>
    public static EvalProtocol FoundationSecInstruct { get; } = new() { Name = "foundation-sec", Style = PromptStyle.FoundationInstruct, Trials = 10, Temperature = 0.3f };

    /// <summary>Foundation-Sec-8B's for base models: 5-shot raw completion from the same benchmark (the item excluded, resampled per trial), T 0.3, 10 trials.</summary>
    public static EvalProtocol FoundationSecBase { get; } = new() { Name = "foundation-sec-base", Style = PromptStyle.FewShotCompletion, Trials = 10, Temperature = 0.3f, Shots = 5, MaxOutputTokens = 128 };

    /// <summary>The preset names accepted on the command line.</summary>
    public static IReadOnlyList<string> Names { get; } = ["benchmark", "ctibench", "cybermetric", "foundation-sec", "foundation-sec-base"];

    /// <summary>The preset named <paramref name="name"/>; foundation-sec with <paramref name="baseModel"/> is the 5-shot variant.</summary>
    public static EvalProtocol Get(string name, bool baseModel = false) => name.Trim().ToLowerInvariant() switch
    {
        "benchmark" or "native" => Benchmark,
        "ctibench" => CtiBench,
        "cybermetric" => CyberMetric,
        "foundation-sec" => baseModel ? FoundationSecBase : FoundationSecInstruct,
        "foundation-sec-base" => FoundationSecBase,
        _ => throw new InputException($"unknown protocol '{name}' (one of {string.Join(", ", Names)})", null, null, "--protocol"),
    };
}
