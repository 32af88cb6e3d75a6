namespace SecForge.Evaluation.Tasks;

/// <summary>The protocol a benchmark's authors evaluated with, used by the default <c>benchmark</c> preset.</summary>
public enum NativePromptStyle
{
    /// <summary>A generic instruction for the answer kind (or the item's own prompt, if the benchmark ships one).</summary>
    Plain,

    /// <summary>CTIBench: its system prompt, the item's Prompt column, temperature 0.</summary>
    CtiBench,

    /// <summary>CyberMetric: its system prompt and question format, "ANSWER: X", up to 5 retries on a malformed reply.</summary>
    CyberMetric,
}
