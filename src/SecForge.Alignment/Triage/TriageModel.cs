using System.Reflection;
using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.Alignment.Triage;

/// <summary>
/// The built-in triage model as shipped (Resources/triage-model.json): a fast softmax model for the class and one for
/// the category over lexicon and hashed n-gram features, and a class head over MiniLM sentence embeddings of the
/// request consulted when the fast model is unsure.
/// </summary>
public sealed class TriageModel
{
    public int FeatureBits { get; set; } = TriageFeatures.Bits;

    public List<string> Labels { get; set; } = [.. TriageClasses.Names];

    public List<string> Categories { get; set; } = [.. TriageClasses.CategoryNames];

    public Dictionary<int, float[]> LabelWeights { get; set; } = [];

    public float[] LabelBias { get; set; } = [];

    public Dictionary<int, float[]> CategoryWeights { get; set; } = [];

    public float[] CategoryBias { get; set; } = [];

    /// <summary>Class head over standardised embeddings (feature i = dimension i); empty when trained without.</summary>
    public Dictionary<int, float[]> EmbeddingWeights { get; set; } = [];

    public float[] EmbeddingBias { get; set; } = [];

    public float[] EmbeddingMeans { get; set; } = [];

    public float[] EmbeddingScales { get; set; } = [];

    /// <summary>The fast model's top probability below which the embedding head is consulted.</summary>
    public double EscalateBelow { get; set; } = 0.5;

    public int TrainedOn { get; set; }

    public string? Source { get; set; }

    /// <summary>Cross-validated accuracy recorded when the model was trained.</summary>
    public TriageEvaluation? CrossValidation { get; set; }

    private static readonly Lazy<TriageModel?> LazyDefault = new(LoadDefault);

    /// <summary>The shipped model, or null in a build without it.</summary>
    public static TriageModel? Default => LazyDefault.Value;

    public SoftmaxRegression LabelModel() => new(Labels, LabelWeights, LabelBias);

    public SoftmaxRegression CategoryModel() => new(Categories, CategoryWeights, CategoryBias);

    public SoftmaxRegression? EmbeddingModel() => EmbeddingWeights.Count == 0 ? null : new(Labels, EmbeddingWeights, EmbeddingBias);

    public static TriageModel Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TriageModel>(File.ReadAllText(path), SecForgeJson.Compact) ?? throw new Core.Errors.InputException("empty triage model", path);
        }
        catch (JsonException exception)
        {
            throw new Core.Errors.InputException("not a triage model: " + exception.Message, path, null, null, exception);
        }
    }

    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(this, SecForgeJson.Compact), cancellationToken);

    private static TriageModel? LoadDefault()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SecForge.Alignment.Resources.triage-model.json");
        return stream is null ? null : JsonSerializer.Deserialize<TriageModel>(stream, SecForgeJson.Compact);
    }
}

/// <summary>Accuracy of triage on labelled pairs.</summary>
public sealed record TriageEvaluation
{
    public int Examples { get; init; }

    public int Folds { get; init; }

    /// <summary>Class accuracy of the built-in triage as run (fast model, embedding head where unsure).</summary>
    public double LabelAccuracy { get; init; }

    /// <summary>Class accuracy of the fast model alone.</summary>
    public double? FastLabelAccuracy { get; init; }

    /// <summary>Class accuracy of the embedding head alone.</summary>
    public double? EmbeddingLabelAccuracy { get; init; }

    public double CategoryAccuracy { get; init; }

    /// <summary>Share of pairs the fast model was unsure of and sent to the embedding head.</summary>
    public double Escalated { get; init; }

    /// <summary>Harmful pairs predicted benign or dual-use: the costly mistakes.</summary>
    public int HarmfulMissed { get; init; }

    /// <summary>Rows actual, columns predicted, in <see cref="TriageClasses.All"/> order.</summary>
    public int[][] Confusion { get; init; } = [];
}
