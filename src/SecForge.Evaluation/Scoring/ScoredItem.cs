namespace SecForge.Evaluation.Scoring;

/// <summary>One scored item of one trial, as aggregation sees it.</summary>
/// <param name="Answer">The answer read from the reply (strictly), for a majority vote over trials.</param>
/// <param name="Target">The gold answer, for a majority vote over trials.</param>
public sealed record ScoredItem(string Sample, int Trial, IReadOnlyDictionary<string, double> Values, bool Refusal, bool Ungraded, bool Failed, string? Answer = null, string? Target = null);
