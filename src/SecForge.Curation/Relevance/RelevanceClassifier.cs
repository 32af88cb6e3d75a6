using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.Curation.Relevance;

/// <summary>
/// Foundation-Sec's second relevance stage: a logistic-regression head over frozen MiniLM sentence embeddings,
/// giving the probability that a document is about cybersecurity. Heads are small JSON files; a default head
/// trained on the project's labelled seed set ships inside SecForge.
/// </summary>
public sealed class RelevanceClassifier
{
    private readonly LogisticRegression _head;

    public RelevanceClassifier(ClassifierHead head)
    {
        Head = head ?? throw new ArgumentNullException(nameof(head));
        _head = new LogisticRegression(head.Weights, head.Bias, head.Means, head.Scales);
    }

    /// <summary>The head and its provenance.</summary>
    public ClassifierHead Head { get; }

    /// <summary>The head shipped with SecForge.</summary>
    public static RelevanceClassifier Default => LazyDefault.Value;

    private static readonly Lazy<RelevanceClassifier> LazyDefault = new(() =>
    {
        using var stream = typeof(RelevanceClassifier).Assembly.GetManifestResourceStream("SecForge.Curation.Resources.relevance-head.json")
            ?? throw new InvalidOperationException("the default relevance head is missing from the assembly");
        return new RelevanceClassifier(JsonSerializer.Deserialize<ClassifierHead>(stream, SecForgeJson.Compact)!);
    });

    /// <summary>Loads a head file written by <see cref="SaveAsync"/>.</summary>
    public static RelevanceClassifier Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException("classifier head not found", path);
        }

        try
        {
            var head = JsonSerializer.Deserialize<ClassifierHead>(File.ReadAllText(path), SecForgeJson.Compact)
                ?? throw new InputException("the head file is empty", path);
            if (head.Weights.Length != SentenceEmbedder.Dimension || head.Means.Length != head.Weights.Length || head.Scales.Length != head.Weights.Length)
            {
                throw new InputException($"the head has {head.Weights.Length} weights; the embedding model gives {SentenceEmbedder.Dimension}", path, field: "weights");
            }

            return new RelevanceClassifier(head);
        }
        catch (JsonException exception)
        {
            throw new InputException($"not a classifier head: {exception.Message}", path, innerException: exception);
        }
    }

    /// <summary>Writes the head as JSON.</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(Head, SecForgeJson.Indented), cancellationToken);

    /// <summary>The probability that each text is about cybersecurity.</summary>
    public double[] Score(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var embeddings = SentenceEmbedder.Shared.Embed(texts, cancellationToken);
        return embeddings.Select(e => _head.Predict(e)).ToArray();
    }

    /// <summary>The head's default L2 strength, chosen by held-out F1 over five seeded splits of the shipped seed set.</summary>
    public const double DefaultL2 = 0.05;

    /// <summary>
    /// Trains a head on labelled texts, holding out <paramref name="heldOut"/> of them (a seeded, stratified split)
    /// to report precision, recall and F1; the returned head is trained on the training part only.
    /// </summary>
    public static (RelevanceClassifier Classifier, ClassifierMetrics HeldOut, ClassifierMetrics Train) Train(
        IReadOnlyList<(string Text, bool Relevant)> examples,
        double heldOut = 0.2,
        int seed = 1,
        string source = "",
        double l2 = DefaultL2,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count < 10 || examples.All(e => e.Relevant) || examples.All(e => !e.Relevant))
        {
            throw new InputException("training needs at least 10 examples of both labels", source);
        }

        var (train, test) = Split(examples, heldOut, seed);
        var trainEmbeddings = SentenceEmbedder.Shared.Embed(train.Select(e => e.Text).ToArray(), cancellationToken);
        var regression = LogisticRegression.Train(trainEmbeddings, train.Select(e => e.Relevant).ToArray(), l2);
        var head = new ClassifierHead
        {
            Model = SentenceEmbedder.ModelName,
            Weights = regression.Weights,
            Bias = regression.Bias,
            Means = regression.Means,
            Scales = regression.Scales,
            TrainedOn = train.Count,
            Source = source,
        };
        var classifier = new RelevanceClassifier(head);
        var trainMetrics = Evaluate(classifier, trainEmbeddings, train);
        var testMetrics = test.Count == 0
            ? trainMetrics
            : Evaluate(classifier, SentenceEmbedder.Shared.Embed(test.Select(e => e.Text).ToArray(), cancellationToken), test);
        head.HeldOut = new HeadMetrics(test.Count, testMetrics.Precision, testMetrics.Recall, testMetrics.F1);
        return (classifier, testMetrics, trainMetrics);
    }

    private static ClassifierMetrics Evaluate(RelevanceClassifier classifier, float[][] embeddings, IReadOnlyList<(string Text, bool Relevant)> examples)
    {
        var predicted = embeddings.Select(e => classifier._head.Predict(e) >= 0.5).ToArray();
        return ClassifierMetrics.Of(predicted, examples.Select(e => e.Relevant).ToArray());
    }

    /// <summary>A stratified split: the same share of each label held out, chosen by a seeded shuffle.</summary>
    public static (List<(string Text, bool Relevant)> Train, List<(string Text, bool Relevant)> Test) Split(
        IReadOnlyList<(string Text, bool Relevant)> examples, double heldOut, int seed)
    {
        var random = new SecForge.Core.Randomness.SplitMix64((ulong)seed);
        var train = new List<(string, bool)>();
        var test = new List<(string, bool)>();
        foreach (var label in new[] { true, false })
        {
            var group = examples.Where(e => e.Relevant == label).ToList();
            random.Shuffle(group);
            var testCount = (int)Math.Round(group.Count * heldOut);
            test.AddRange(group.Take(testCount));
            train.AddRange(group.Skip(testCount));
        }

        return (train, test);
    }
}

/// <summary>A trained head as stored on disk.</summary>
public sealed class ClassifierHead
{
    public string Model { get; set; } = SentenceEmbedder.ModelName;

    public double[] Weights { get; set; } = [];

    public double Bias { get; set; }

    public double[] Means { get; set; } = [];

    public double[] Scales { get; set; } = [];

    public int TrainedOn { get; set; }

    public string? Source { get; set; }

    public HeadMetrics? HeldOut { get; set; }
}

/// <summary>Held-out metrics recorded with a head.</summary>
public sealed record HeadMetrics(int Examples, double Precision, double Recall, double F1);
