namespace SecForge.RedTeam.Running;

/// <summary>The conversation an attack had with the target.</summary>
public sealed record Transcript(IReadOnlyList<TranscriptTurn> Turns)
{
    /// <summary>The target's last reply.</summary>
    public string FinalReply => Turns.Count == 0 ? string.Empty : Turns[^1].Reply;

    /// <summary>Every reply, joined: a secret leaked in any turn is leaked.</summary>
    public string AllReplies => string.Join("\n\n", Turns.Select(t => t.Reply));

    /// <summary>Every tool call of every turn.</summary>
    public IEnumerable<ToolCallRecord> ToolCalls => Turns.SelectMany(t => t.ToolCalls);
}
