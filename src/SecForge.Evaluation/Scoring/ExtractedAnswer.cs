namespace SecForge.Evaluation.Scoring;

/// <summary>
/// An answer read from a reply: <see cref="Strict"/> by the protocol's own rule, <see cref="Flexible"/> by a
/// forgiving chain of rules (both reported; null when nothing was found).
/// </summary>
public sealed record ExtractedAnswer(string? Strict, string? Flexible);
