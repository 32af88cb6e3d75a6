using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Holds each request to a slot of an <see cref="AdaptiveConcurrencyLimiter"/>, and tells it about throttling.</summary>
public sealed class ConcurrencyLimitingChatClient(IChatClient innerClient, AdaptiveConcurrencyLimiter limiter) : DelegatingChatClient(innerClient)
{
    private readonly AdaptiveConcurrencyLimiter _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var lease = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            _limiter.OnSuccess();
            return response;
        }
        catch (Exception exception) when (TransientFailure.Classify(exception, cancellationToken).IsThrottle)
        {
            _limiter.OnThrottled();
            throw;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var lease = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception exception) when (TransientFailure.Classify(exception, cancellationToken).IsThrottle)
                {
                    _limiter.OnThrottled();
                    throw;
                }

                yield return enumerator.Current;
            }
        }

        _limiter.OnSuccess();
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(AdaptiveConcurrencyLimiter) && serviceKey is null ? _limiter : base.GetService(serviceType, serviceKey);
}
