using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Middleware;

/// <summary>Counts each call to the backend in a <see cref="ModelUsage"/>: latency and tokens.</summary>
public sealed class UsageTrackingChatClient(IChatClient innerClient, ModelUsage usage) : DelegatingChatClient(innerClient)
{
    private readonly ModelUsage _usage = usage ?? throw new ArgumentNullException(nameof(usage));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        ChatResponse? response = null;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            _usage.RecordCall(Stopwatch.GetTimestamp() - started, response?.Usage?.InputTokenCount, response?.Usage?.OutputTokenCount);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        long? input = null;
        long? output = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usageContent)
                    {
                        input = usageContent.Details.InputTokenCount ?? input;
                        output = usageContent.Details.OutputTokenCount ?? output;
                    }
                }

                yield return update;
            }
        }
        finally
        {
            _usage.RecordCall(Stopwatch.GetTimestamp() - started, input, output);
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ModelUsage) && serviceKey is null ? _usage : base.GetService(serviceType, serviceKey);
}
