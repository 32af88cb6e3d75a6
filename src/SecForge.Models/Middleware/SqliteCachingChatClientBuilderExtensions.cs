using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Adds <see cref="SqliteCachingChatClient"/> to a chat pipeline.</summary>
public static class SqliteCachingChatClientBuilderExtensions
{
    /// <summary>Caches responses in <paramref name="store"/>; hits are counted in <paramref name="usage"/>.</summary>
    public static ChatClientBuilder UseSqliteCache(this ChatClientBuilder builder, ResponseCacheStore store, ModelUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return builder.Use(inner => new SqliteCachingChatClient(inner, store, usage));
    }
}
