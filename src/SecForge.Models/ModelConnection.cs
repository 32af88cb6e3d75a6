using System.Net.Sockets;
using Microsoft.Extensions.AI;
using SecForge.Core.Running;
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

    /// <summary>Things about the model's settings a person should know (a GPU setting with no GPU backend); shown by the caller.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Counts failures to connect across chat and completion; open, it ends every call at once.</summary>
    public CircuitBreaker? Breaker { get; init; }

    /// <summary>
    /// Checks, before a run sends its first request, that a server model's endpoint accepts connections at all
    /// (within <paramref name="timeout"/>, 5 s by default), so a dead endpoint ends the run in seconds with one line
    /// instead of failing every item after its retries. Throws <see cref="EndpointUnreachableException"/>.
    /// In-process models have nothing to check.
    /// </summary>
    public async Task PreflightAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Model.Spec.BaseUri is not { } uri)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port, limit.Token).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            Breaker?.Open(exception.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.TryAgain => "host name not found",
                _ => exception.Message,
            });
            throw Breaker?.Exception() ?? new EndpointUnreachableException(uri.ToString(), exception.Message, exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Breaker?.Open($"no connection within {(timeout ?? TimeSpan.FromSeconds(5)).TotalSeconds:0} s");
            throw Breaker?.Exception() ?? new EndpointUnreachableException(uri.ToString(), "connection timed out");
        }
    }

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
