using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>
/// Caches chat responses in a <see cref="ResponseCacheStore"/>. The key covers the backend, endpoint and model,
/// every message and every option — the trial number included — so repeated trials at temperature above 0 stay
/// distinct while an identical rerun is served without calling the model.
/// </summary>
public sealed class SqliteCachingChatClient : CachingChatClient
{
    internal static readonly JsonSerializerOptions SerializerOptions = CreateSerializerOptions();
    private readonly ResponseCacheStore _store;
    private readonly ModelUsage? _usage;
    private readonly object?[] _identity;

    public SqliteCachingChatClient(IChatClient innerClient, ResponseCacheStore store, ModelUsage? usage = null)
        : base(innerClient)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _usage = usage;
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _identity = ["chat/v1", metadata?.ProviderName, metadata?.ProviderUri?.ToString(), metadata?.DefaultModelId];
    }

    /// <inheritdoc />
    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var values = new object?[_identity.Length + 2 + additionalValues.Length];
        _identity.CopyTo(values, 0);
        values[_identity.Length] = messages as IList<ChatMessage> ?? messages.ToList();
        values[_identity.Length + 1] = options;
        additionalValues.CopyTo(values.AsSpan(_identity.Length + 2));
        return AIJsonUtilities.HashDataToString(values, SerializerOptions);
    }

    /// <inheritdoc />
    protected override Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var json = _store.Get(key);
        if (json is null)
        {
            return Task.FromResult<ChatResponse?>(null);
        }

        _usage?.RecordCacheHit();
        return Task.FromResult(JsonSerializer.Deserialize<ChatResponse>(json, SerializerOptions));
    }

    /// <inheritdoc />
    protected override Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        var json = _store.Get(key);
        if (json is null)
        {
            return Task.FromResult<IReadOnlyList<ChatResponseUpdate>?>(null);
        }

        _usage?.RecordCacheHit();
        return Task.FromResult<IReadOnlyList<ChatResponseUpdate>?>(JsonSerializer.Deserialize<List<ChatResponseUpdate>>(json, SerializerOptions));
    }

    /// <inheritdoc />
    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken)
    {
        _store.Put(key, "chat", JsonSerializer.Serialize(value, SerializerOptions));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken)
    {
        _store.Put(key, "chat-stream", JsonSerializer.Serialize(value, SerializerOptions));
        return Task.CompletedTask;
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(AIJsonUtilities.DefaultOptions.TypeInfoResolver, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }
}
