namespace SecForge.Models.Completions;

/// <summary>
/// The log-likelihood of a continuation given a context, as lm-evaluation-harness defines it: the sum of the
/// natural-log probabilities of the continuation's tokens, and whether each was the model's top choice.
/// </summary>
/// <param name="LogProbability">Sum of token log-probabilities (≤ 0).</param>
/// <param name="IsGreedy">True when every continuation token was the most likely token at its position.</param>
/// <param name="TokenCount">How many tokens the continuation took.</param>
public sealed record LogLikelihood(double LogProbability, bool IsGreedy, int TokenCount);
