using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using SecForge.Models.Completions;
using AIChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace SecForge.Models.OpenAICompatible;

/// <summary>
/// Adapts Microsoft.Extensions.AI's OpenAI chat client to SecForge's conventions: SecForge's request keys are
/// translated (log-probabilities through the raw <see cref="ChatCompletionOptions"/>) and never sent as-is,
/// <c>max_tokens</c> is sent beside <c>max_completion_tokens</c> for servers that read only the older name,
/// log-probabilities come back in the backend-neutral place, and a stream that ends without a finish reason is an error.
/// </summary>
public sealed class OpenAICompatibleChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, Translate(options), cancellationToken).ConfigureAwait(false);
        if (response.RawRepresentation is ChatCompletion completion && completion.ContentTokenLogProbabilities is { Count: > 0 } details)
        {
            response.SetLogProbabilities(Convert(details));
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AIChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AIChatFinishReason? finish = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, Translate(options), cancellationToken).ConfigureAwait(false))
        {
            finish ??= update.FinishReason;
            if (update.RawRepresentation is StreamingChatCompletionUpdate raw && raw.ContentTokenLogProbabilities is { Count: > 0 } details)
            {
                (update.AdditionalProperties ??= [])[ChatResponseLogProbabilities.Key] = Convert(details);
            }

            yield return update;
        }

        if (finish is null)
        {
            throw new IOException("the reply stream ended before the server finished it (no finish_reason): the stream was truncated");
        }
    }

    private static ChatOptions Translate(ChatOptions? options)
    {
        var wantsLogProbabilities = options.TryGetLogProbabilityRequest(out var top);
        var sent = options.WithoutSecForgeKeys()?.Clone() ?? new ChatOptions();
        var callerFactory = sent.RawRepresentationFactory;
        var maxTokens = sent.MaxOutputTokens;
        sent.RawRepresentationFactory = client =>
        {
            var raw = callerFactory?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            if (wantsLogProbabilities)
            {
                raw.IncludeLogProbabilities = true;
                if (top > 0)
                {
                    raw.TopLogProbabilityCount = top;
                }
            }

            if (maxTokens is { } max)
            {
#pragma warning disable SCME0001 // JsonPatch is marked experimental; it is the SDK's way to send a field it has no property for.
                raw.Patch.Set("$.max_tokens"u8, max);
#pragma warning restore SCME0001
            }

            return raw;
        };
        return sent;
    }

    private static TokenLogProbability[] Convert(IReadOnlyList<ChatTokenLogProbabilityDetails> details)
    {
        var result = new TokenLogProbability[details.Count];
        for (var i = 0; i < details.Count; i++)
        {
            var detail = details[i];
            var alternatives = detail.TopLogProbabilities is { Count: > 0 } top
                ? top.Select(t => new TopLogProbability(t.Token, t.LogProbability)).ToArray()
                : null;
            result[i] = new TokenLogProbability(detail.Token, detail.LogProbability, alternatives);
        }

        return result;
    }
}
