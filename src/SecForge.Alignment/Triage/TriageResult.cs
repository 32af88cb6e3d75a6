namespace SecForge.Alignment.Triage;

/// <summary>How a pair was triaged: its class, cyber-harm category, confidence, who decided and why.</summary>
public sealed record TriageResult(string Label, string Category, double Confidence, string Source, string Reason)
{
    /// <summary>Set when triage failed (a model's malformed verdict, an unreachable model).</summary>
    public string? Error { get; init; }
}

/// <summary>Decides benign / dual-use / harmful and the cyber-harm category of an exchange.</summary>
public interface ITriage
{
    string Name { get; }

    Task<TriageResult> TriageAsync(string prompt, string response, CancellationToken cancellationToken);
}
