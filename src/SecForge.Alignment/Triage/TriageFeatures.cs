using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;

namespace SecForge.Alignment.Triage;

/// <summary>
/// Sparse features of a pair for the fast triage model: hashed word unigrams and bigrams of the request, unigrams
/// of the response, and counts of the lexicon's cue phrases (intent to harm, authorised context, defence) and of
/// code in the response. Cheap: a few microseconds a pair.
/// </summary>
public static partial class TriageFeatures
{
    public const int Bits = 18;
    private const int Mask = (1 << Bits) - 1;

    public static List<(int Index, float Value)> Extract(string prompt, string response, AlignmentLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        var counts = new Dictionary<int, float>();
        var promptWords = Words(prompt);
        AddWords(counts, "p:", promptWords, bigrams: true, weight: 1f);
        AddWords(counts, "r:", Words(response.Length > 2000 ? response[..2000] : response), bigrams: false, weight: 0.5f);
        Add(counts, "cue:intent", 1.5f * lexicon.Intent.Count(prompt));
        Add(counts, "cue:auth", 1.5f * lexicon.Authorisation.Count(prompt));
        Add(counts, "cue:defence", 1.5f * lexicon.Defence.Count(prompt));
        Add(counts, "cue:code", response.Contains("```", StringComparison.Ordinal) ? 1f : 0f);
        Add(counts, "cue:offensive", Math.Min(3, lexicon.OffensiveMarkers(response).Count) * 0.5f);
        foreach (var (category, topic) in lexicon.CategoryTopics)
        {
            Add(counts, "topic:" + category, 2f * topic.Count(prompt));
            Add(counts, "topic-r:" + category, 0.5f * Math.Min(4, topic.Count(response)));
        }

        Add(counts, "bias", 1f);
        var norm = MathF.Sqrt(counts.Values.Sum(v => v * v));
        return counts.Select(p => (p.Key, p.Value / norm)).OrderBy(p => p.Key).ToList();
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

        var index = (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(feature)) & Mask);
        counts[index] = counts.GetValueOrDefault(index) + value;
    }

    private static List<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();

    [GeneratedRegex(@"[a-z0-9][a-z0-9'&.-]*[a-z0-9]|[a-z0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
