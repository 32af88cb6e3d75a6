namespace SecForge.Models.Completions;

/// <summary>Conveniences over <see cref="ITextCompletionClient"/>.</summary>
public static class TextCompletionClientExtensions
{
    /// <summary>Asks for a service of type <typeparamref name="T"/>.</summary>
    public static T? GetService<T>(this ITextCompletionClient client, object? serviceKey = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetService(typeof(T), serviceKey) as T;
    }

    /// <summary>Starts a middleware pipeline around <paramref name="client"/>.</summary>
    public static TextCompletionClientBuilder AsBuilder(this ITextCompletionClient client) => new(client);
}
