using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;

namespace SecForge.Alignment.Rewriting;

/// <summary>A rewrite, or why there is none (the rewriter broke its contract or failed).</summary>
public sealed record RewriteOutcome(string? Response, Rejection? Failure = null);

/// <summary>Rewrites a dual-use reply with safety precautions, or a harmful one into a refusal with a safe alternative.</summary>
public interface IRewriter
{
    string Name { get; }

    Task<RewriteOutcome> RewriteAsync(string prompt, string response, TriageResult triage, CancellationToken cancellationToken);
}
