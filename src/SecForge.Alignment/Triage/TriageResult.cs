using SecForge.Core.Taxonomy;

namespace SecForge.Alignment.Triage;

/// <summary>How a pair was triaged: its class, cyber-harm category (null: none), confidence, who decided and why.</summary>
public sealed record TriageResult(TriageClass Class, CyberHarm? Harm, double Confidence, string Source, string Reason)
{
    /// <summary>Set when triage failed (a model's malformed verdict, an unreachable model); the class means nothing then.</summary>
    public string? Error { get; init; }

    /// <summary>A triage that could not decide.</summary>
    public static TriageResult Failed(string source, string error) => new(TriageClass.Benign, null, 0, source, string.Empty) { Error = error };
}

/// <summary>Decides benign / dual-use / harmful and the cyber-harm category of an exchange.</summary>
public interface ITriage
{
    string Name { get; }

    Task<TriageResult> TriageAsync(string prompt, string response, CancellationToken cancellationToken);
}
