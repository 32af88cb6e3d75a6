using System.Text.Json;
using Microsoft.Extensions.AI;
using SecForge.Models.Completions;

namespace SecForge.Models;

/// <summary>
/// Reads and writes the per-token log-probabilities of a chat response, which every SecForge backend stores
/// in the same place so callers need not know which backend answered (or whether the cache did).
/// </summary>
public static class ChatResponseLogProbabilities
{
    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key.</summary>
    public const string Key = "secforge.logprobs";

    /// <summary>The response's token log-probabilities, or null when none were returned.</summary>
    public static IReadOnlyList<TokenLogProbability>? GetLogProbabilities(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.AdditionalProperties?.TryGetValue(Key, out var value) != true)
        {
            return null;
        }

        return value switch
        {
            IReadOnlyList<TokenLogProbability> list => list,
            JsonElement element => element.Deserialize<TokenLogProbability[]>(AIJsonUtilities.DefaultOptions),
            _ => null,
        };
    }

    /// <summary>Stores <paramref name="logProbabilities"/> on <paramref name="response"/>.</summary>
    public static void SetLogProbabilities(this ChatResponse response, IReadOnlyList<TokenLogProbability> logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(logProbabilities);
        (response.AdditionalProperties ??= [])[Key] = logProbabilities.ToArray();
    }
}
