using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>
/// Retries transient failures of the inner client under a <see cref="ModelRetryPolicy"/>. A stream is retried only
/// while nothing has been yielded from it; a failure after that ends it with <see cref="ModelCallException"/>.
/// </summary>
public sealed class RetryingChatClient(IChatClient innerClient, ModelRetryPolicy policy) : DelegatingChatClient(innerClient)
{
    private readonly ModelRetryPolicy _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        return _policy.ExecuteAsync(ct => base.GetResponseAsync(list, options, ct), cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        var first = await _policy.ExecuteAsync(async ct =>
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            enumerator = base.GetStreamingResponseAsync(list, options, ct).GetAsyncEnumerator(ct);
            return await enumerator.MoveNextAsync().ConfigureAwait(false) ? enumerator.Current : null;
        }, cancellationToken).ConfigureAwait(false);

        var stream = enumerator!;
        await using (stream.ConfigureAwait(false))
        {
            if (first is null)
            {
                yield break;
            }

            yield return first;
            var count = 1;
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    update = stream.Current;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var failure = TransientFailure.Classify(exception, cancellationToken);
                    throw new ModelCallException($"the stream broke after {count} updates: {failure.Reason}", exception)
                    {
                        Attempts = 1,
                        StatusCode = failure.StatusCode,
                        Transient = failure.IsTransient,
                    };
                }

                count++;
                yield return update;
            }
        }
    }
}
