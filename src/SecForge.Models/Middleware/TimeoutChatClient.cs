using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>
/// Gives each request a time limit: a whole response must arrive within it, and a stream may not stall for
/// longer between two updates. A limit that fires becomes a <see cref="TimeoutException"/>, which retries treat as transient.
/// </summary>
public sealed class TimeoutChatClient(IChatClient innerClient, TimeSpan timeout, ModelUsage? usage = null) : DelegatingChatClient(innerClient)
{
    /// <summary>The limit per request.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        RequestTimeout.RunAsync(Timeout, ct => base.GetResponseAsync(messages, options, ct), usage, cancellationToken);

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = base.GetStreamingResponseAsync(messages, options, limit.Token).GetAsyncEnumerator(limit.Token);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                limit.CancelAfter(Timeout);
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested && exception is OperationCanceledException or IOException or HttpRequestException)
                {
                    usage?.RecordTimeout();
                    throw new TimeoutException($"the stream stalled for {Timeout.TotalSeconds:0.###} s", exception);
                }

                if (!more)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }
}
