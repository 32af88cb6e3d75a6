using Microsoft.Extensions.AI;
using SecForge.Core.Randomness;
using SecForge.Models.Completions;

namespace SecForge.Models.Llama;

/// <summary>Turns request options into generation settings; the trial number is mixed into the seed so trials differ.</summary>
internal static class LlamaSettings
{
    private const int DefaultMaxTokens = 256;

    public static GenerationSettings From(ChatOptions? options, uint defaultSeed)
    {
        var wantsLogProbabilities = options.TryGetLogProbabilityRequest(out var top);
        return new GenerationSettings(
            options?.MaxOutputTokens ?? DefaultMaxTokens,
            options?.Temperature ?? 0f,
            options?.TopP ?? 1f,
            SeedFor(options?.Seed, defaultSeed, options.GetTrial()),
            options?.StopSequences?.ToArray() ?? [],
            wantsLogProbabilities,
            top);
    }

    public static GenerationSettings From(TextCompletionOptions? options, uint defaultSeed) => new(
        options?.MaxOutputTokens ?? DefaultMaxTokens,
        options?.Temperature ?? 0f,
        options?.TopP ?? 1f,
        SeedFor(options?.Seed, defaultSeed, options?.Trial),
        options?.StopSequences ?? [],
        options?.IncludeLogProbabilities ?? false,
        options?.TopLogProbabilities ?? 0);

    private static ulong SeedFor(long? seed, uint defaultSeed, int? trial)
    {
        var value = (ulong)(seed ?? defaultSeed);
        return trial is { } t ? SplitMix64.Mix(value ^ ((ulong)t * 0x9E3779B97F4A7C15UL)) : value;
    }
}
