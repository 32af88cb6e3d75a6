namespace SecForge.RedTeam.Running;

/// <summary>One exchange: what was sent, what came back, the tool calls, why generation ended and how long the reply was.</summary>
public sealed record TranscriptTurn(string User, string Reply, IReadOnlyList<ToolCallRecord> ToolCalls, string? FinishReason = null, long? OutputTokens = null);
