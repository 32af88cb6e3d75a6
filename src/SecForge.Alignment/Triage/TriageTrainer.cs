using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Errors;
using SecForge.Core.Taxonomy;
using SecForge.Curation.Relevance;

namespace SecForge.Alignment.Triage;

/// <summary>A labelled pair: request, response, class and category.</summary>
public sealed record LabelledPair(string Id, string Prompt, string Response, TriageClass Class, CyberHarm? Harm)
{
    /// <summary>The category's name (a harm or "none").</summary>
    public string Category => TriageClasses.CategoryName(Harm);
}

/// <summary>Trains the built-in triage model and measures it by k-fold cross-validation.</summary>
public static class TriageTrainer
{
    /// <summary>
    /// Reads labelled pairs: JSONL with <c>instruction</c> (+ <c>input</c>) and <c>output</c>, or <c>prompt</c> and
    /// <c>response</c>, plus <c>label</c> (benign, dual-use, harmful) and <c>category</c>.
    /// </summary>
    public static List<LabelledPair> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException("labels file not found", path);
        }

        var pairs = new List<LabelledPair>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject ?? throw new InputException("not a JSON object", path, number);
            }
            catch (JsonException exception)
            {
                throw new InputException("invalid JSON: " + exception.Message, path, number, null, exception);
            }

            var prompt = Text(record, "prompt", path, number) ?? Text(record, "instruction", path, number) ?? throw new InputException("needs 'instruction' or 'prompt'", path, number, "instruction");
            if (Text(record, "input", path, number) is { Length: > 0 } input)
            {
                prompt += "\n\n" + input;
            }

            var response = Text(record, "response", path, number) ?? Text(record, "output", path, number) ?? throw new InputException("needs 'output' or 'response'", path, number, "output");
            if (TriageClasses.Parse(Text(record, "label", path, number)) is not { } label)
            {
                throw new InputException($"label '{record["label"]}' is not benign, dual-use or harmful", path, number, "label");
            }

            if (!TriageClasses.TryParseCategory(Text(record, "category", path, number), out var category))
            {
                throw new InputException($"category '{record["category"]}' is not one of {string.Join(", ", TriageClasses.CategoryNames)}", path, number, "category");
            }

            pairs.Add(new LabelledPair((record["id"] is JsonValue id ? id.ToString() : null) ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture), prompt, response, label, category));
        }

        return pairs;
    }

    /// <summary>L2 and learning rate of the class model, chosen by 5-fold cross-validation on the labelled set.</summary>
    private const double LabelL2 = 0.0003;
    private const double LabelRate = 4.0;

    /// <summary>A text field, or null when absent; any other JSON type is an error naming the field.</summary>
    private static string? Text(JsonObject record, string field, string path, int line) => record[field] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new InputException("must be text", path, line, field),
    };

    /// <summary>Trains on all pairs; <paramref name="embeddings"/> (one per pair, of the request) adds the embedding head.</summary>
    public static TriageModel Train(IReadOnlyList<LabelledPair> pairs, IReadOnlyList<float[]>? embeddings, AlignmentLexicon? lexicon = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        lexicon ??= AlignmentLexicon.Default;
        var features = pairs.Select(p => (IReadOnlyList<(int, float)>)TriageFeatures.Extract(p.Prompt, p.Response, lexicon)).ToList();
        var labels = pairs.Select(p => (int)p.Class).ToList();
        var categories = pairs.Select(p => TriageClasses.CategoryNames.ToList().IndexOf(p.Category)).ToList();
        var label = SoftmaxRegression.Train(TriageClasses.Names, features, labels, l2: LabelL2, iterations: 400, learningRate: LabelRate);
        var category = SoftmaxRegression.Train(TriageClasses.CategoryNames, features, categories, l2: 0.0005, iterations: 400, learningRate: 8);
        var model = new TriageModel
        {
            LabelWeights = label.Weights,
            LabelBias = label.Bias,
            CategoryWeights = category.Weights,
            CategoryBias = category.Bias,
            TrainedOn = pairs.Count,
        };
        if (embeddings is not null)
        {
            var dimension = embeddings[0].Length;
            var means = new float[dimension];
            var scales = new float[dimension];
            for (var d = 0; d < dimension; d++)
            {
                var mean = embeddings.Average(e => e[d]);
                var variance = embeddings.Average(e => (e[d] - mean) * (e[d] - mean));
                means[d] = mean;
                scales[d] = (float)Math.Max(1e-6, Math.Sqrt(variance));
            }

            model.EmbeddingMeans = means;
            model.EmbeddingScales = scales;
            var dense = embeddings.Select(e => (IReadOnlyList<(int, float)>)BuiltinTriage.EmbeddingFeatures(e, model)).ToList();
            var head = SoftmaxRegression.Train(TriageClasses.Names, dense, labels, l2: 0.01, iterations: 300, learningRate: 0.2);
            model.EmbeddingWeights = head.Weights;
            model.EmbeddingBias = head.Bias;
        }

        return model;
    }

    /// <summary>Embeds the requests of <paramref name="pairs"/> with MiniLM.</summary>
    public static float[][] Embed(IReadOnlyList<LabelledPair> pairs, CancellationToken cancellationToken = default) =>
        SentenceEmbedder.Shared.Embed(pairs.Select(p => p.Prompt).ToList(), cancellationToken);

    /// <summary>Stratified k-fold cross-validation: every pair is predicted by a model that did not see it.</summary>
    public static TriageEvaluation CrossValidate(IReadOnlyList<LabelledPair> pairs, IReadOnlyList<float[]>? embeddings, int folds = 5, int seed = 1, double? escalateBelow = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var random = new Random(seed);
        var fold = new int[pairs.Count];
        foreach (var group in Enumerable.Range(0, pairs.Count).GroupBy(i => TriageClasses.Name(pairs[i].Class) + "/" + pairs[i].Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.OrderBy(_ => random.Next()).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                fold[members[i]] = i % folds;
            }
        }

        int correct = 0, fastCorrect = 0, embeddingCorrect = 0, categoryCorrect = 0, escalated = 0, harmfulMissed = 0;
        var confusion = TriageClasses.All.Select(_ => new int[TriageClasses.All.Count]).ToArray();
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, pairs.Count).Where(i => fold[i] != f).ToList();
            var test = Enumerable.Range(0, pairs.Count).Where(i => fold[i] == f).ToList();
            var model = Train(train.Select(i => pairs[i]).ToList(), embeddings is null ? null : train.Select(i => embeddings[i]).ToList());
            var labelModel = model.LabelModel();
            var categoryModel = model.CategoryModel();
            var embeddingModel = model.EmbeddingModel();
            foreach (var i in test)
            {
                var features = TriageFeatures.Extract(pairs[i].Prompt, pairs[i].Response, AlignmentLexicon.Default);
                var p = labelModel.Predict(features);
                fastCorrect += BuiltinTriage.ArgMax(p) == (int)pairs[i].Class ? 1 : 0;
                if (embeddingModel is not null)
                {
                    var e = embeddingModel.Predict(BuiltinTriage.EmbeddingFeatures(embeddings![i], model));
                    embeddingCorrect += BuiltinTriage.ArgMax(e) == (int)pairs[i].Class ? 1 : 0;
                    if (p.Max() < (escalateBelow ?? model.EscalateBelow))
                    {
                        p = p.Zip(e, (a, b) => (a + b) / 2).ToArray();
                        escalated++;
                    }
                }

                var predicted = (TriageClass)BuiltinTriage.ArgMax(p);
                correct += predicted == pairs[i].Class ? 1 : 0;
                harmfulMissed += pairs[i].Class == TriageClass.Harmful && predicted != TriageClass.Harmful ? 1 : 0;
                confusion[(int)pairs[i].Class][(int)predicted]++;
                categoryCorrect += TriageClasses.CategoryNames[BuiltinTriage.ArgMax(categoryModel.Predict(features))] == pairs[i].Category ? 1 : 0;
            }
        }

        double n = pairs.Count;
        return new TriageEvaluation
        {
            Examples = pairs.Count,
            Folds = folds,
            LabelAccuracy = Math.Round(correct / n, 4),
            FastLabelAccuracy = Math.Round(fastCorrect / n, 4),
            EmbeddingLabelAccuracy = embeddings is null ? null : Math.Round(embeddingCorrect / n, 4),
            CategoryAccuracy = Math.Round(categoryCorrect / n, 4),
            Escalated = Math.Round(escalated / n, 4),
            HarmfulMissed = harmfulMissed,
            Confusion = confusion,
        };
    }

    /// <summary>Accuracy of any triage (a model, the shipped built-in) on labelled pairs, predicting each as-is.</summary>
    public static async Task<TriageEvaluation> EvaluateAsync(ITriage triage, IReadOnlyList<LabelledPair> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triage);
        int correct = 0, categoryCorrect = 0, harmfulMissed = 0;
        var confusion = TriageClasses.All.Select(_ => new int[TriageClasses.All.Count]).ToArray();
        foreach (var pair in pairs)
        {
            var result = await triage.TriageAsync(pair.Prompt, pair.Response, cancellationToken).ConfigureAwait(false);
            if (result.Error is not null)
            {
                harmfulMissed += pair.Class == TriageClass.Harmful ? 1 : 0;
                continue;
            }

            correct += result.Class == pair.Class ? 1 : 0;
            categoryCorrect += result.Harm == pair.Harm ? 1 : 0;
            harmfulMissed += pair.Class == TriageClass.Harmful && result.Class != TriageClass.Harmful ? 1 : 0;
            confusion[(int)pair.Class][(int)result.Class]++;
        }

        double n = Math.Max(1, pairs.Count);
        return new TriageEvaluation { Examples = pairs.Count, LabelAccuracy = Math.Round(correct / n, 4), CategoryAccuracy = Math.Round(categoryCorrect / n, 4), HarmfulMissed = harmfulMissed, Confusion = confusion };
    }
}
