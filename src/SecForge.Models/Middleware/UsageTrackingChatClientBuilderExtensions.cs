using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Adds <see cref="UsageTrackingChatClient"/> to a chat pipeline.</summary>
public static class UsageTrackingChatClientBuilderExtensions
{
    /// <summary>Counts backend calls, tokens and latency in <paramref name="usage"/>.</summary>
    public static ChatClientBuilder UseUsageTracking(this ChatClientBuilder builder, ModelUsage usage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(usage);
        return builder.Use(inner => new UsageTrackingChatClient(inner, usage));
    }
}
