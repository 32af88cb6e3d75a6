namespace SecForge.Evaluation.Scoring;

/// <summary>How the strict extraction reads a multiple-choice answer; set by the protocol.</summary>
public enum ExtractionRule
{
    /// <summary>CTIBench: the answer is on the reply's last line (the last option letter there).</summary>
    LastLine,

    /// <summary>CyberMetric: "ANSWER: X".</summary>
    AnswerTag,

    /// <summary>Foundation-Sec: <c>answer:\s*\(?[A-D]</c>.</summary>
    AnswerColon,

    /// <summary>A raw completion after "Answer:": the first option letter it starts with.</summary>
    Completion,
}
