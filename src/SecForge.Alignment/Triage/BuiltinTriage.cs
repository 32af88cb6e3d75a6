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

    public Task<TriageResult> TriageAsync(string prompt, string response, CancellationToken cancellationToken) =>
        Task.FromResult(Triage(prompt, response, cancellationToken));

    public TriageResult Triage(string prompt, string response, CancellationToken cancellationToken = default)
    {
        var features = TriageFeatures.Extract(prompt, response, _lexicon);
        var p = _label.Predict(features);
        var source = "builtin";
        if (_embedding is not null && p.Max() < _model.EscalateBelow)
        {
            var e = _embedding.Predict(EmbeddingFeatures(SentenceEmbedder.Shared.Embed([prompt], cancellationToken)[0], _model));
            p = p.Zip(e, (a, b) => (a + b) / 2).ToArray();
            source = "builtin+embedding";
            Interlocked.Increment(ref _escalated);
        }

        Interlocked.Increment(ref _decided);
        var best = ArgMax(p);
        var c = _category.Predict(features);
        var label = _model.Labels[best];
        var cues = new List<string>();
        if (_lexicon.Intent.Match(prompt) is { Success: true } intent)
        {
            cues.Add($"intent cue '{intent.Value}'");
        }

        if (_lexicon.Authorisation.Match(prompt) is { Success: true } auth)
        {
            cues.Add($"context cue '{auth.Value}'");
        }

        if (_lexicon.Defence.Match(prompt) is { Success: true } defence)
        {
            cues.Add($"defensive cue '{defence.Value}'");
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"{label} p={p[best]:0.00}") + (cues.Count > 0 ? "; " + string.Join(", ", cues) : string.Empty);
        return new TriageResult(label, _model.Categories[ArgMax(c)], Math.Round(p[best], 4), source, reason);
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
