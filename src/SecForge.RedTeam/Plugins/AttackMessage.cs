namespace SecForge.RedTeam.Plugins;

/// <summary>A message of an attack: "system", "user" or (for many-shot priming) "assistant".</summary>
public sealed record AttackMessage(string Role, string Content);
