using Microsoft.Extensions.AI;

namespace SecForge.Models.Completions;

/// <summary>The result of a raw completion.</summary>
public sealed record TextCompletion
{
    /// <summary>The generated text, without the prompt and without a matched stop sequence.</summary>
    public required string Text { get; init; }

    /// <summary>Why generation ended: "stop" (end of text or a stop sequence) or "length".</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model that answered.</summary>
    public string? ModelId { get; init; }

    /// <summary>Token counts.</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>Per generated token log-probabilities, when asked for.</summary>
    public IReadOnlyList<TokenLogProbability>? LogProbabilities { get; init; }
}
