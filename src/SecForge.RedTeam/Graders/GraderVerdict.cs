namespace SecForge.RedTeam.Graders;

/// <summary>What one grader concluded and why.</summary>
public sealed record GraderVerdict(string Grader, GradeOutcome Outcome, string Reason);
