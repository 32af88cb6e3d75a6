using Microsoft.Extensions.AI;
using SecForge.Models.Completions;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;

namespace SecForge.Models;

/// <summary>
/// A model ready to use: its chat and raw-completion clients with the full middleware stack (cache, retries,
/// concurrency limit, timeout, usage), and the shared usage meter. Built by <see cref="ModelFactory"/>.
/// </summary>
public sealed class ModelConnection : IDisposable
{
    private readonly Lazy<ITextCompletionClient> _completion;
    private readonly ResponseCacheStore? _ownedCache;
    private readonly List<IDisposable> _owned;

    internal ModelConnection(
        ResolvedModel model,
        IChatClient chat,
        Lazy<ITextCompletionClient> completion,
        ModelUsage usage,
        AdaptiveConcurrencyLimiter limiter,
        ResponseCacheStore? ownedCache,
        List<IDisposable> owned)
    {
        Model = model;
        Chat = chat;
        _completion = completion;
        Usage = usage;
        Limiter = limiter;
        _ownedCache = ownedCache;
        _owned = owned;
    }

    /// <summary>What the model is and how it was named.</summary>
    public ResolvedModel Model { get; }

    /// <summary>The name to show in reports.</summary>
    public string Name => Model.Name;

    /// <summary>Chat through the middleware stack.</summary>
    public IChatClient Chat { get; }

    /// <summary>Raw completion and log-likelihood through the middleware stack.</summary>
    public ITextCompletionClient Completion => _completion.Value;

    /// <summary>What this model has cost so far.</summary>
    public ModelUsage Usage { get; }

    /// <summary>The concurrency limiter shared by chat and completion.</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    public void Dispose()
    {
        Chat.Dispose();
        if (_completion.IsValueCreated)
        {
            _completion.Value.Dispose();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _ownedCache?.Dispose();
    }
}
