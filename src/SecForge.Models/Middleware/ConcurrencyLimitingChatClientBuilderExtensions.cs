using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Adds <see cref="ConcurrencyLimitingChatClient"/> to a chat pipeline.</summary>
public static class ConcurrencyLimitingChatClientBuilderExtensions
{
    /// <summary>Bounds requests in flight by <paramref name="limiter"/>.</summary>
    public static ChatClientBuilder UseConcurrencyLimit(this ChatClientBuilder builder, AdaptiveConcurrencyLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(limiter);
        return builder.Use(inner => new ConcurrencyLimitingChatClient(inner, limiter));
    }
}
