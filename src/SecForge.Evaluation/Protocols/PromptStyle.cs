namespace SecForge.Evaluation.Protocols;

/// <summary>Which prompts a protocol sends.</summary>
public enum PromptStyle
{
    /// <summary>Each task's own: CTIBench's for CTIBench, CyberMetric's for CyberMetric, the item's prompt or a generic one otherwise.</summary>
    Native,

    /// <summary>CTIBench's system prompt with each item's own prompt (a generic one where items have none).</summary>
    CtiBench,

    /// <summary>CyberMetric's system prompt and question format for multiple choice; generic prompts otherwise.</summary>
    CyberMetric,

    /// <summary>No system prompt; the benchmark's own instruction, zero-shot (Foundation-Sec, instruct models).</summary>
    FoundationInstruct,

    /// <summary>Raw completion of a few-shot prompt (Foundation-Sec, base models).</summary>
    FewShotCompletion,
}
