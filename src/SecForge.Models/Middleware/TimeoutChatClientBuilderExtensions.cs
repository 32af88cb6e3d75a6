using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Adds <see cref="TimeoutChatClient"/> to a chat pipeline.</summary>
public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Limits each request to <paramref name="timeout"/>.</summary>
    public static ChatClientBuilder UseRequestTimeout(this ChatClientBuilder builder, TimeSpan timeout, ModelUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TimeoutChatClient(inner, timeout, usage));
    }
}
