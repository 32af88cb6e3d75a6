namespace SecForge.Models.Completions;

/// <summary>One token with its natural-log probability and, when asked for, the most likely alternatives.</summary>
public sealed record TokenLogProbability(string Token, double LogProbability, IReadOnlyList<TopLogProbability>? Top = null);

/// <summary>An alternative token at one position.</summary>
public sealed record TopLogProbability(string Token, double LogProbability);
