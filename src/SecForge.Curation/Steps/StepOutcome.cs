namespace SecForge.Curation.Steps;

/// <summary>What a step did to a document: kept it (possibly changed) or dropped it with a reason.</summary>
public readonly record struct StepOutcome(bool Kept, string? Reason)
{
    public static StepOutcome Keep { get; } = new(true, null);

    public static StepOutcome Drop(string reason) => new(false, reason);
}
