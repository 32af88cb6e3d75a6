using SecForge.Curation.Relevance;

namespace SecForge.Alignment.Verification;

/// <summary>How close a rewrite stays to the original reply (cosine, 0..1).</summary>
public interface ISimilarity
{
    string Name { get; }

    double Similarity(string original, string rewrite, CancellationToken cancellationToken = default);
}

/// <summary>Cosine of MiniLM sentence embeddings (all-MiniLM-L6-v2, the first 1,000 characters of each).</summary>
public sealed class EmbeddingSimilarity : ISimilarity
{
    public string Name => "embedding (all-MiniLM-L6-v2)";

    public double Similarity(string original, string rewrite, CancellationToken cancellationToken = default)
    {
        var vectors = SentenceEmbedder.Shared.Embed([original, rewrite], cancellationToken);
        return Math.Round(Cosine(vectors[0], vectors[1]), 4);
    }

    internal static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}

/// <summary>Cosine of word-count vectors: microseconds a pair, for template mode, which keeps the original verbatim.</summary>
public sealed class LexicalSimilarity : ISimilarity
{
    public string Name => "lexical (word-count cosine)";

    [ThreadStatic]
    private static (string Text, Dictionary<string, int> Counts)? _last;

    public double Similarity(string original, string rewrite, CancellationToken cancellationToken = default)
    {
        // The verifier compares one original with several windows of its rewrite: count the original once.
        var a = _last is { } last && ReferenceEquals(last.Text, original) ? last.Counts : Counts(original);
        _last = (original, a);
        var b = Counts(rewrite);
        double dot = 0;
        foreach (var (word, count) in a)
        {
            if (b.TryGetValue(word, out var other))
            {
                dot += count * other;
            }
        }

        var na = Math.Sqrt(a.Values.Sum(v => (double)v * v));
        var nb = Math.Sqrt(b.Values.Sum(v => (double)v * v));
        return na == 0 || nb == 0 ? 0 : Math.Round(dot / (na * nb), 4);
    }

    private static Dictionary<string, int> Counts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in Triage.TextTokens.Words(text))
        {
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        return counts;
    }
}
