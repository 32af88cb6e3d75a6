namespace SecForge.Evaluation.Scoring;

/// <summary>A metric's spread: standard deviation over trials, a bootstrap 95% interval over items, and each trial's value.</summary>
public sealed record MetricValue(double Std, double CiLow, double CiHigh, IReadOnlyList<double> PerTrial);
