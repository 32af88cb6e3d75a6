using System.Text.Json;
using Microsoft.Extensions.AI;
using SecForge.Core.Hashing;
using SecForge.Core.Json;
using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>Caches raw completions and log-likelihoods in a <see cref="ResponseCacheStore"/>, keyed like the chat cache.</summary>
public sealed class CachingTextCompletionClient(ITextCompletionClient innerClient, ResponseCacheStore store, ModelUsage? usage = null)
    : DelegatingTextCompletionClient(innerClient)
{
    private readonly ResponseCacheStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly ChatClientMetadata? _metadata = innerClient.GetService<ChatClientMetadata>();

    /// <inheritdoc />
    public override async Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var key = Key("completion/v1", prompt, null, options);
        if (_store.Get(key) is { } cached)
        {
            usage?.RecordCacheHit();
            return JsonSerializer.Deserialize<TextCompletion>(cached, SecForgeJson.Compact)!;
        }

        var result = await base.CompleteAsync(prompt, options, cancellationToken).ConfigureAwait(false);
        _store.Put(key, "completion", JsonSerializer.Serialize(result, SecForgeJson.Compact));
        return result;
    }

    /// <inheritdoc />
    public override async Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var key = Key("loglikelihood/v1", context, continuation, options);
        if (_store.Get(key) is { } cached)
        {
            usage?.RecordCacheHit();
            return JsonSerializer.Deserialize<LogLikelihood>(cached, SecForgeJson.Compact)!;
        }

        var result = await base.GetLogLikelihoodAsync(context, continuation, options, cancellationToken).ConfigureAwait(false);
        _store.Put(key, "loglikelihood", JsonSerializer.Serialize(result, SecForgeJson.Compact));
        return result;
    }

    private string Key(string kind, string text, string? continuation, TextCompletionOptions? options)
    {
        var json = JsonSerializer.Serialize(
            new CacheKey(kind, _metadata?.ProviderName, _metadata?.ProviderUri?.ToString(), _metadata?.DefaultModelId, text, continuation, options),
            SecForgeJson.Compact);
        return ContentHash.Sha256Hex(json);
    }

    private sealed record CacheKey(string Kind, string? Provider, string? Endpoint, string? Model, string Text, string? Continuation, TextCompletionOptions? Options);
}
