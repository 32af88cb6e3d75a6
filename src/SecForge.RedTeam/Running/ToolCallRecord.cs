namespace SecForge.RedTeam.Running;

/// <summary>A tool call the target made: the tool's name and its JSON arguments.</summary>
public sealed record ToolCallRecord(string Name, string Arguments);
