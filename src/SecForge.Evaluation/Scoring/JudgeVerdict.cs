namespace SecForge.Evaluation.Scoring;

/// <summary>A judge model's verdict: <see cref="Correct"/> is null when the verdict could not be read (see <see cref="Failure"/>).</summary>
public sealed record JudgeVerdict(bool? Correct, string? Reason, string? Failure = null);
