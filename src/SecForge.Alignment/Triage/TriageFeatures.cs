using System.IO.Hashing;
using System.Text;

namespace SecForge.Alignment.Triage;

/// <summary>
/// Sparse features of a pair for the fast triage model: hashed word unigrams and bigrams of the request, unigrams
/// of the response, and counts of the lexicon's cue phrases (intent to harm, authorised context, defence) and of
/// code in the response. Cheap: a few microseconds a pair.
/// </summary>
public static class TriageFeatures
{
    public const int Bits = 18;
    private const int Mask = (1 << Bits) - 1;

    public static List<(int Index, float Value)> Extract(string prompt, string response, AlignmentLexicon lexicon) => Extract(prompt, response, lexicon, null);

    /// <summary>The features, and the cue phrases found in the request (group, phrase) when <paramref name="cues"/> is given.</summary>
    public static List<(int Index, float Value)> Extract(string prompt, string response, AlignmentLexicon lexicon, List<(string Group, string Phrase)>? cues)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        var counts = new Dictionary<int, float>();
        var promptWords = TextTokens.Words(prompt);
        var responseWords = TextTokens.Words(response, 2000);
        AddWords(counts, "p:", promptWords, bigrams: true, weight: 1f);
        AddWords(counts, "r:", responseWords, bigrams: false, weight: 0.5f);
        var promptCues = new Dictionary<string, int>(StringComparer.Ordinal);
        lexicon.Cues.Scan(promptWords, (group, phrase) =>
        {
            promptCues[group] = promptCues.GetValueOrDefault(group) + 1;
            cues?.Add((group, phrase));
        });
        var responseTopics = new Dictionary<string, int>(StringComparer.Ordinal);
        lexicon.Cues.Scan(responseWords, (group, _) => responseTopics[group] = responseTopics.GetValueOrDefault(group) + 1);
        Add(counts, "cue:intent", 1.5f * promptCues.GetValueOrDefault("intent"));
        Add(counts, "cue:auth", 1.5f * promptCues.GetValueOrDefault("auth"));
        Add(counts, "cue:defence", 1.5f * promptCues.GetValueOrDefault("defence"));
        Add(counts, "cue:code", response.Contains("```", StringComparison.Ordinal) ? 1f : 0f);
        Add(counts, "cue:offensive", Math.Min(3, lexicon.OffensiveMarkers(response).Count) * 0.5f);
        foreach (var category in lexicon.Categories)
        {
            Add(counts, "topic:" + category, 2f * promptCues.GetValueOrDefault("topic:" + category));
            Add(counts, "topic-r:" + category, 0.5f * Math.Min(4, responseTopics.GetValueOrDefault("topic:" + category)));
        }

        Add(counts, "bias", 1f);
        var norm = MathF.Sqrt(counts.Values.Sum(v => v * v));
        var features = new List<(int, float)>(counts.Count);
        foreach (var (key, value) in counts)
        {
            features.Add((key, value / norm));
        }

        features.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return features;
    }

    private static void AddWords(Dictionary<int, float> counts, string prefix, List<string> words, bool bigrams, float weight)
    {
        for (var i = 0; i < words.Count; i++)
        {
            Add(counts, prefix + words[i], weight);
            if (bigrams && i + 1 < words.Count)
            {
                Add(counts, prefix + words[i] + " " + words[i + 1], weight);
            }
        }
    }

    private static void Add(Dictionary<int, float> counts, string feature, float value)
    {
        if (value == 0)
        {
            return;
        }

        Span<byte> bytes = stackalloc byte[256];
        var index = Encoding.UTF8.TryGetBytes(feature, bytes, out var written)
            ? (int)(XxHash32.HashToUInt32(bytes[..written]) & Mask)
            : (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(feature)) & Mask);
        counts[index] = counts.GetValueOrDefault(index) + value;
    }

}
