using System.Text.Json;

namespace SecForge.Testing;

/// <summary>One request the loopback server received, as the tests inspect it.</summary>
public sealed record LoopbackRequest
{
    /// <summary>"chat" or "completions".</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model named in the request.</summary>
    public required string Model { get; init; }

    /// <summary>Chat messages (role, text).</summary>
    public IReadOnlyList<(string Role, string Content)> Messages { get; init; } = [];

    /// <summary>The raw prompt of a completions request.</summary>
    public string? Prompt { get; init; }

    /// <summary>True for a streaming request.</summary>
    public bool Stream { get; init; }

    /// <summary>The whole request body.</summary>
    public required JsonElement Body { get; init; }

    /// <summary>The Authorization header, if any.</summary>
    public string? Authorization { get; init; }

    /// <summary>The 1-based number of requests with this same body seen so far (1 for the first attempt).</summary>
    public int Attempt { get; init; }

    /// <summary>The system message, if any.</summary>
    public string? SystemPrompt => Messages.FirstOrDefault(m => m.Role == "system").Content;

    /// <summary>The last user message.</summary>
    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user").Content ?? Prompt ?? string.Empty;
}
