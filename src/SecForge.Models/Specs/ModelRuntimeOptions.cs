using SecForge.Models.Middleware;

namespace SecForge.Models.Specs;

/// <summary>The middleware settings a model connection is built with.</summary>
public sealed record ModelRuntimeOptions
{
    /// <summary>The SQLite response cache file; null for no cache.</summary>
    public string? CachePath { get; init; }

    /// <summary>Requests in flight at most.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Per-request time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retry behaviour.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Connection attempts in a row that fail to connect at all before the endpoint is declared unreachable.</summary>
    public int UnreachableAfter { get; init; } = 5;
}
