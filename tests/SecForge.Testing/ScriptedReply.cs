namespace SecForge.Testing;

/// <summary>What the loopback server answers to a chat request.</summary>
public sealed record ScriptedReply(string Text)
{
    /// <summary>"stop" or "length".</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>Tool calls to return instead of (or beside) text: name and JSON arguments.</summary>
    public IReadOnlyList<(string Name, string ArgumentsJson)>? ToolCalls { get; init; }
}
