namespace SecForge.Evaluation.Scoring;

/// <summary>One scored item of one trial, as aggregation sees it.</summary>
public sealed record ScoredItem(string Sample, int Trial, IReadOnlyDictionary<string, double> Values, bool Refusal, bool Ungraded, bool Failed);
