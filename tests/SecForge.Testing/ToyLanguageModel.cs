using System.Text.RegularExpressions;
using SecForge.Core.Hashing;
using SecForge.Core.Randomness;

namespace SecForge.Testing;

/// <summary>
/// A deterministic stand-in for a language model behind the loopback server: word-level tokens whose
/// log-probabilities depend on the previous token, greedy or seeded sampling, consistent prompt scoring.
/// Its numbers mean nothing; their consistency (greedy is greedy, sums add up) is what the tests rely on.
/// </summary>
public static partial class ToyLanguageModel
{
    /// <summary>The words it generates from.</summary>
    public static readonly IReadOnlyList<string> Vocabulary =
    [
        " the", " alert", " was", " triaged", " as", " benign", " malicious", " patch", " applied", " host",
        " isolated", " and", " analyst", " reviewed", " logs", " for", " lateral", " movement", " token", " rotated",
        " rule", " updated", " ticket", " closed", " scan", " found", " no", " indicators", " incident", " contained", ".", ",",
    ];

    /// <summary>Splits text into tokens with their character offsets.</summary>
    public static IReadOnlyList<(string Token, int Offset)> Tokenize(string text)
    {
        var tokens = new List<(string, int)>();
        foreach (Match match in TokenPattern().Matches(text))
        {
            tokens.Add((match.Value, match.Index));
        }

        return tokens;
    }

    /// <summary>The log-probability of <paramref name="token"/> after <paramref name="previous"/>, in [-6, -0.05].</summary>
    public static double LogProbability(string? previous, string token)
    {
        var hash = ContentHash.XxHash64((previous ?? "<s>") + "\u0001" + token);
        return -0.05 - (hash % 10_000 / 10_000.0 * 5.95);
    }

    /// <summary>The vocabulary word the model would pick greedily after <paramref name="previous"/>.</summary>
    public static string Greedy(string? previous) => Vocabulary.MaxBy(word => LogProbability(previous, word))!;

    /// <summary>Generates up to <paramref name="maxTokens"/> tokens after <paramref name="prompt"/>; stops after a full stop.</summary>
    public static IReadOnlyList<(string Token, double LogProbability)> Generate(string prompt, int maxTokens, double temperature, long seed, out string finishReason)
    {
        var tokens = Tokenize(prompt);
        var previous = tokens.Count > 0 ? tokens[^1].Token : null;
        var random = new SplitMix64((ulong)seed ^ ContentHash.XxHash64(prompt));
        var output = new List<(string, double)>();
        finishReason = "length";
        for (var i = 0; i < maxTokens; i++)
        {
            string next;
            if (temperature <= 0)
            {
                next = Greedy(previous);
            }
            else
            {
                var weights = Vocabulary.Select(w => Math.Exp(LogProbability(previous, w) / temperature)).ToArray();
                var draw = random.NextDouble() * weights.Sum();
                var index = 0;
                while (index < weights.Length - 1 && (draw -= weights[index]) > 0)
                {
                    index++;
                }

                next = Vocabulary[index];
            }

            output.Add((next, LogProbability(previous, next)));
            previous = next;
            if (next == "." && i >= 3)
            {
                finishReason = "stop";
                break;
            }
        }

        return output;
    }

    /// <summary>The <paramref name="count"/> likeliest vocabulary words after <paramref name="previous"/>, plus <paramref name="actual"/>.</summary>
    public static IReadOnlyList<(string Token, double LogProbability)> Top(string? previous, string actual, int count)
    {
        var candidates = Vocabulary.Append(actual).Distinct(StringComparer.Ordinal)
            .Select(w => (w, LogProbability(previous, w)))
            .OrderByDescending(p => p.Item2)
            .Take(Math.Max(count, 1))
            .ToList();
        return candidates;
    }

    [GeneratedRegex(@"\s*(?:\w+|[^\w\s])|\s+$")]
    private static partial Regex TokenPattern();
}
