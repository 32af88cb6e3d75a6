using SecForge.Alignment.Triage;

namespace SecForge.Alignment.Rewriting;

/// <summary>A rewrite, or why the rewriter broke its contract.</summary>
public sealed record RewriteOutcome(string? Response, string? ContractError = null);

/// <summary>Rewrites a dual-use reply with safety precautions, or a harmful one into a refusal with a safe alternative.</summary>
public interface IRewriter
{
    string Name { get; }

    Task<RewriteOutcome> RewriteAsync(string prompt, string response, TriageResult triage, CancellationToken cancellationToken);
}
