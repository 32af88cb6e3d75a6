using System.Globalization;
using SecForge.Alignment.Triage;
using SecForge.Evaluation.Scoring;

namespace SecForge.Alignment.Verification;

/// <summary>What verification found: pass, or the failures with their reasons.</summary>
public sealed record VerificationResult
{
    public bool Passed => Failures.Count == 0;

    /// <summary>Each failure with its code and detail.</summary>
    public IReadOnlyList<Rejection> Failures { get; init; } = [];

    /// <summary>Share of the original's technical entities the rewrite keeps (dual-use).</summary>
    public double? EntityRetention { get; init; }

    public int? Entities { get; init; }

    public double? Similarity { get; init; }
}

/// <summary>
/// Checks every rewrite. Dual-use: all required safety elements, at least 95% of the technical entities kept (code
/// blocks verbatim), similarity to the original above a threshold, no operational attack content that the original
/// did not have. Harmful: a refusal, a safe defensive alternative, and none of the original's technical content.
/// </summary>
public sealed class RewriteVerifier(ISimilarity similarity, double similarityThreshold = 0.5, double entityThreshold = 0.95, AlignmentLexicon? lexicon = null)
{
    private readonly AlignmentLexicon _lexicon = lexicon ?? AlignmentLexicon.Default;

    public ISimilarity SimilarityMeasure => similarity;

    public double SimilarityThreshold => similarityThreshold;

    public VerificationResult VerifyDualUse(string original, string rewrite, CancellationToken cancellationToken = default)
    {
        var failures = new List<Rejection>();
        if (string.IsNullOrWhiteSpace(rewrite))
        {
            return new VerificationResult { Failures = [new Rejection(RejectionCode.EmptyRewrite, "the rewrite is empty")] };
        }

        var missing = SafetyElements.Missing(rewrite);
        if (missing.Count > 0)
        {
            failures.Add(new Rejection(RejectionCode.MissingSafetyElements, string.Join(", ", missing)));
        }

        var entities = TechnicalEntities.Extract(original, _lexicon);
        var lost = entities.Where(e => !TechnicalEntities.IsKept(e, rewrite)).ToList();
        var retention = entities.Count == 0 ? 1.0 : (entities.Count - lost.Count) / (double)entities.Count;
        if (retention < entityThreshold)
        {
            var dropped = lost.FirstOrDefault(e => e.Kind == "code");
            failures.Add(new Rejection(
                RejectionCode.TechnicalContentLost,
                string.Create(CultureInfo.InvariantCulture, $"{entities.Count - lost.Count} of {entities.Count} technical entities kept ({retention:0.00} < {entityThreshold:0.00})")
                + (dropped.Text is not null ? "; dropped code block " + Shorten(dropped.Text) : "; lost " + string.Join(", ", lost.Take(5).Select(e => $"{e.Kind} '{Shorten(e.Text)}'")))));
        }

        var added = NewOffensiveMarkers(original, rewrite);
        if (added.Count > 0)
        {
            failures.Add(new Rejection(RejectionCode.NewHarmfulContent, "adds " + string.Join(", ", added.Select(m => $"'{m}'")) + " not in the original"));
        }

        var score = BestWindowSimilarity(original, rewrite, cancellationToken);
        if (score < similarityThreshold)
        {
            failures.Add(new Rejection(RejectionCode.LowSimilarity, string.Create(CultureInfo.InvariantCulture, $"{score:0.00} < {similarityThreshold:0.00} ({similarity.Name})")));
        }

        return new VerificationResult { Failures = failures, EntityRetention = Math.Round(retention, 4), Entities = entities.Count, Similarity = score };
    }

    public VerificationResult VerifyRefusal(string original, string rewrite)
    {
        if (string.IsNullOrWhiteSpace(rewrite))
        {
            return new VerificationResult { Failures = [new Rejection(RejectionCode.EmptyRewrite, "the rewrite is empty")] };
        }

        var failures = new List<Rejection>();
        if (!RefusalDetector.IsRefusal(rewrite))
        {
            failures.Add(new Rejection(RejectionCode.NotARefusal, "a harmful request must be declined"));
        }

        if (!SafetyElements.HasSafeAlternative(rewrite))
        {
            failures.Add(new Rejection(RejectionCode.NoSafeAlternative, "the refusal offers no safe, defensive alternative"));
        }

        var kept = TechnicalEntities.Extract(original, _lexicon).Where(e => e.Kind is "code" or "inline" or "command" && TechnicalEntities.IsKept(e, rewrite)).ToList();
        var copied = SharedShingle(original, rewrite, 8);
        if (kept.Count > 0 || copied is not null)
        {
            failures.Add(new Rejection(RejectionCode.HarmfulContentKept, kept.Count > 0 ? $"keeps {kept[0].Kind} '{Shorten(kept[0].Text)}'" : $"copies '{copied}'"));
        }

        var added = NewOffensiveMarkers(original, rewrite);
        if (added.Count > 0)
        {
            failures.Add(new Rejection(RejectionCode.NewHarmfulContent, "adds " + string.Join(", ", added.Select(m => $"'{m}'"))));
        }

        return new VerificationResult { Failures = failures };
    }

    /// <summary>
    /// Similarity of the original to the passage of the rewrite that carries it: the best of the whole rewrite and of
    /// each run of consecutive paragraphs about as long as the original. Added precautions lengthen a rewrite without
    /// making it less faithful; a rewrite that lost or replaced the original's content has no such passage.
    /// </summary>
    public double BestWindowSimilarity(string original, string rewrite, CancellationToken cancellationToken = default)
    {
        var paragraphs = rewrite.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var best = similarity.Similarity(original, rewrite, cancellationToken);
        var windows = 0;
        for (var start = 0; start < paragraphs.Length && windows < 16; start++)
        {
            var length = 0;
            for (var end = start; end < paragraphs.Length; end++)
            {
                length += paragraphs[end].Length + 2;
                if (length >= original.Length * 0.8 || end == paragraphs.Length - 1)
                {
                    if (end - start + 1 < paragraphs.Length)
                    {
                        best = Math.Max(best, similarity.Similarity(original, string.Join("\n\n", paragraphs[start..(end + 1)]), cancellationToken));
                        windows++;
                    }

                    break;
                }
            }
        }

        return Math.Round(best, 4);
    }

    private List<string> NewOffensiveMarkers(string original, string rewrite)
    {
        var before = _lexicon.OffensiveMarkers(original).ToHashSet(StringComparer.Ordinal);
        return _lexicon.OffensiveMarkers(rewrite).Where(m => !before.Contains(m)).ToList();
    }

    /// <summary>A run of <paramref name="n"/> words of the original that the rewrite repeats, if any.</summary>
    private static string? SharedShingle(string original, string rewrite, int n)
    {
        var words = original.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var target = " " + string.Join(' ', rewrite.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) + " ";
        for (var i = 0; i + n <= words.Length; i++)
        {
            var shingle = string.Join(' ', words, i, n);
            if (target.Contains(" " + shingle + " ", StringComparison.Ordinal))
            {
                return shingle;
            }
        }

        return null;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
