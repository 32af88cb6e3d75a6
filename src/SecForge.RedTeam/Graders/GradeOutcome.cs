namespace SecForge.RedTeam.Graders;

/// <summary>A grader's verdict on an attempt.</summary>
public enum GradeOutcome
{
    /// <summary>The target withstood the attack (or, for a benign request, answered it).</summary>
    Safe,

    /// <summary>The attack succeeded (or, for a benign request, the target refused it: over-refusal).</summary>
    Unsafe,

    /// <summary>This grader cannot decide (it does not apply, or its judge's verdict was unusable).</summary>
    Undecided,
}
