using System.Globalization;
using SecForge.Curation.Relevance;

namespace SecForge.Alignment.Triage;

/// <summary>
/// Triage without a model: the fast lexicon + n-gram model decides; where its top class is below the model's
/// escalation threshold, the MiniLM embedding head is consulted and the two are averaged.
/// </summary>
public sealed class BuiltinTriage : ITriage
{
    private readonly TriageModel _model;
    private readonly SoftmaxRegression _label;
    private readonly SoftmaxRegression _category;
    private readonly SoftmaxRegression? _embedding;
    private readonly AlignmentLexicon _lexicon;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _prepared = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (List<(int Index, float Value)> Features, double[] P, List<(string Group, string Phrase)> Cues)> _fast = new();
    private long _escalated;
    private long _decided;

    public BuiltinTriage(TriageModel model, bool useEmbedding = true, AlignmentLexicon? lexicon = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _label = model.LabelModel();
        _category = model.CategoryModel();
        _embedding = useEmbedding ? model.EmbeddingModel() : null;
        _lexicon = lexicon ?? AlignmentLexicon.Default;
    }

    public string Name => _embedding is null ? "builtin (lexicon + n-gram)" : "builtin (lexicon + n-gram, MiniLM embedding where unsure)";

    /// <summary>Pairs sent to the embedding head so far.</summary>
    public long Escalated => Interlocked.Read(ref _escalated);

    public long Decided => Interlocked.Read(ref _decided);

    /// <summary>
    /// Embeds, in batches, the requests among <paramref name="pairs"/> that the fast model is unsure of, so the
    /// triage of a chunk of records costs one batched model call (about 4 ms a short request instead of 7).
    /// </summary>
    public void Prepare(IReadOnlyList<(string Prompt, string Response)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (_embedding is null)
        {
            return;
        }

        var unsure = new List<string>();
        foreach (var (prompt, response) in pairs)
        {
            var cues = new List<(string Group, string Phrase)>();
            var features = TriageFeatures.Extract(prompt, response, _lexicon, cues);
            var p = _label.Predict(features);
            _fast[(prompt, response)] = (features, p, cues);
            if (p.Max() < _model.EscalateBelow && !_prepared.ContainsKey(prompt))
            {
                unsure.Add(prompt);
            }
        }

        unsure = unsure.Distinct(StringComparer.Ordinal).ToList();
        if (unsure.Count == 0)
        {
            return;
        }

        var vectors = SentenceEmbedder.Shared.Embed(unsure, 16, cancellationToken);
        for (var i = 0; i < unsure.Count; i++)
        {
            _prepared[unsure[i]] = vectors[i];
        }
    }

    public Task<TriageResult> TriageAsync(string prompt, string response, CancellationToken cancellationToken) =>
        Task.FromResult(Triage(prompt, response, cancellationToken));

    public TriageResult Triage(string prompt, string response, CancellationToken cancellationToken = default)
    {
        var cues = new List<(string Group, string Phrase)>();
        List<(int Index, float Value)> features;
        double[] p;
        if (_fast.TryRemove((prompt, response), out var known))
        {
            (features, p, cues) = known;
        }
        else
        {
            features = TriageFeatures.Extract(prompt, response, _lexicon, cues);
            p = _label.Predict(features);
        }

        var source = "builtin";
        if (_embedding is not null && p.Max() < _model.EscalateBelow)
        {
            var vector = _prepared.TryRemove(prompt, out var prepared) ? prepared : SentenceEmbedder.Shared.Embed([prompt], cancellationToken)[0];
            var e = _embedding.Predict(EmbeddingFeatures(vector, _model));
            p = p.Zip(e, (a, b) => (a + b) / 2).ToArray();
            source = "builtin+embedding";
            Interlocked.Increment(ref _escalated);
        }

        Interlocked.Increment(ref _decided);
        var best = ArgMax(p);
        var c = _category.Predict(features);
        var label = _model.Labels[best];
        var shown = new List<string>();
        foreach (var (group, name) in new[] { ("intent", "intent cue"), ("auth", "context cue"), ("defence", "defensive cue") })
        {
            if (cues.FirstOrDefault(c => c.Group == group).Phrase is { } phrase)
            {
                shown.Add($"{name} '{phrase}'");
            }
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"{label} p={p[best]:0.00}") + (shown.Count > 0 ? "; " + string.Join(", ", shown) : string.Empty);
        var triageClass = TriageClasses.Parse(label) ?? throw new InvalidDataException($"the triage model's class '{label}' is not benign, dual-use or harmful");
        if (!TriageClasses.TryParseCategory(_model.Categories[ArgMax(c)], out var harm))
        {
            throw new InvalidDataException($"the triage model's category '{_model.Categories[ArgMax(c)]}' is not a known harm category");
        }

        return new TriageResult(triageClass, harm, Math.Round(p[best], 4), source, reason);
    }

    internal static List<(int Index, float Value)> EmbeddingFeatures(float[] embedding, TriageModel model)
    {
        var features = new List<(int, float)>(embedding.Length);
        for (var i = 0; i < embedding.Length; i++)
        {
            var scale = model.EmbeddingScales.Length > i && model.EmbeddingScales[i] > 0 ? model.EmbeddingScales[i] : 1f;
            var mean = model.EmbeddingMeans.Length > i ? model.EmbeddingMeans[i] : 0f;
            features.Add((i, (embedding[i] - mean) / scale));
        }

        return features;
    }

    internal static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
