namespace SecForge.Evaluation.Tasks;

/// <summary>What an answer is, which decides how it is extracted from a reply and scored.</summary>
public enum AnswerKind
{
    /// <summary>One option letter; accuracy.</summary>
    MultipleChoice,

    /// <summary>A set of option letters that must match exactly (SecEval, some SecBench items); accuracy.</summary>
    MultipleAnswer,

    /// <summary>A CWE id (CTIBench RCM); accuracy.</summary>
    Cwe,

    /// <summary>A CVSS v3.1 vector (CTIBench VSP); mean absolute deviation of the base scores.</summary>
    CvssVector,

    /// <summary>A set of ATT&amp;CK technique ids (CTIBench ATE); F1, micro and macro.</summary>
    AttackTechniques,

    /// <summary>A threat actor's name (CTIBench TAA); correct and plausible through alias and related graphs.</summary>
    ThreatActor,

    /// <summary>A number within a tolerance (SECURE CPST: a CVSS score); accuracy and mean absolute deviation.</summary>
    Number,

    /// <summary>T (true), F (false) or X (don't know) (SECURE KCV, VOOD); accuracy.</summary>
    TrueFalse,

    /// <summary>Free text matched exactly after normalisation; accuracy.</summary>
    Exact,

    /// <summary>The reply must match a regular expression; accuracy.</summary>
    Regex,

    /// <summary>A judge model grades the reply against the reference answer and a rubric; accuracy.</summary>
    Judge,
}
