using Microsoft.Extensions.AI;
using SecForge.Core.Running;

namespace SecForge.Models.Middleware;

/// <summary>Adds <see cref="RetryingChatClient"/> to a chat pipeline.</summary>
public static class RetryingChatClientBuilderExtensions
{
    /// <summary>Retries transient failures with jittered exponential backoff, honouring Retry-After.</summary>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, RetryOptions? options = null, ModelUsage? usage = null, CircuitBreaker? breaker = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new RetryingChatClient(inner, new ModelRetryPolicy(options, usage, breaker)));
    }
}
