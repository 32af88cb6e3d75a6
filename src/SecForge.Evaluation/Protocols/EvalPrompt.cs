using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Protocols;

/// <summary>
/// What is sent for one item: a chat (optional system prompt and a user message) or a raw prompt for
/// completion, and the rule the strict extraction applies to the reply.
/// </summary>
public sealed record EvalPrompt
{
    public string? System { get; init; }

    /// <summary>The user message of a chat request; null for raw completion.</summary>
    public string? User { get; init; }

    /// <summary>The raw prompt of a completion request; null for chat.</summary>
    public string? Raw { get; init; }

    public required ExtractionRule Rule { get; init; }

    /// <summary>Where a raw completion stops.</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>True when the request is raw completion.</summary>
    public bool IsCompletion => Raw is not null;
}
