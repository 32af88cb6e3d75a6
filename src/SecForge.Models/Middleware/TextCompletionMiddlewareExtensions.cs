using SecForge.Core.Running;
using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>The <c>UseX</c> methods of the text completion middleware, mirroring the chat ones.</summary>
public static class TextCompletionMiddlewareExtensions
{
    public static TextCompletionClientBuilder UseSqliteCache(this TextCompletionClientBuilder builder, ResponseCacheStore store, ModelUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new CachingTextCompletionClient(inner, store, usage));
    }

    public static TextCompletionClientBuilder UseRetries(this TextCompletionClientBuilder builder, RetryOptions? options = null, ModelUsage? usage = null, CircuitBreaker? breaker = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new RetryingTextCompletionClient(inner, new ModelRetryPolicy(options, usage, breaker)));
    }

    public static TextCompletionClientBuilder UseConcurrencyLimit(this TextCompletionClientBuilder builder, AdaptiveConcurrencyLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ConcurrencyLimitingTextCompletionClient(inner, limiter));
    }

    public static TextCompletionClientBuilder UseRequestTimeout(this TextCompletionClientBuilder builder, TimeSpan timeout, ModelUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TimeoutTextCompletionClient(inner, timeout, usage));
    }

    public static TextCompletionClientBuilder UseUsageTracking(this TextCompletionClientBuilder builder, ModelUsage usage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new UsageTrackingTextCompletionClient(inner, usage));
    }
}
