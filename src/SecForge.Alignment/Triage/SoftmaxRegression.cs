namespace SecForge.Alignment.Triage;

/// <summary>
/// Multinomial logistic regression over sparse features, trained by full-batch gradient descent with L2 on the
/// weights of features seen in training. Small enough to ship as JSON; deterministic.
/// </summary>
public sealed class SoftmaxRegression
{
    public SoftmaxRegression(IReadOnlyList<string> classes, Dictionary<int, float[]> weights, float[] bias)
    {
        Classes = classes;
        Weights = weights;
        Bias = bias;
    }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Per feature index, one weight per class.</summary>
    public Dictionary<int, float[]> Weights { get; }

    public float[] Bias { get; }

    /// <summary>Class probabilities of one example.</summary>
    public double[] Predict(IReadOnlyList<(int Index, float Value)> features)
    {
        var scores = Bias.Select(b => (double)b).ToArray();
        foreach (var (index, value) in features)
        {
            if (Weights.TryGetValue(index, out var w))
            {
                for (var k = 0; k < scores.Length; k++)
                {
                    scores[k] += w[k] * value;
                }
            }
        }

        return Softmax(scores);
    }

    public static SoftmaxRegression Train(IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyList<(int Index, float Value)>> examples, IReadOnlyList<int> labels, double l2 = 0.001, int iterations = 300, double learningRate = 1.0)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var k = classes.Count;
        var weights = new Dictionary<int, double[]>();
        foreach (var example in examples)
        {
            foreach (var (index, _) in example)
            {
                if (!weights.ContainsKey(index))
                {
                    weights[index] = new double[k];
                }
            }
        }

        var bias = new double[k];
        var n = examples.Count;
        var gradients = weights.ToDictionary(p => p.Key, _ => new double[k]);
        var biasGradient = new double[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            foreach (var g in gradients.Values)
            {
                Array.Clear(g);
            }

            Array.Clear(biasGradient);
            for (var i = 0; i < n; i++)
            {
                var scores = (double[])bias.Clone();
                foreach (var (index, value) in examples[i])
                {
                    var w = weights[index];
                    for (var c = 0; c < k; c++)
                    {
                        scores[c] += w[c] * value;
                    }
                }

                var p = Softmax(scores);
                p[labels[i]] -= 1;
                for (var c = 0; c < k; c++)
                {
                    biasGradient[c] += p[c];
                }

                foreach (var (index, value) in examples[i])
                {
                    var g = gradients[index];
                    for (var c = 0; c < k; c++)
                    {
                        g[c] += p[c] * value;
                    }
                }
            }

            foreach (var (index, w) in weights)
            {
                var g = gradients[index];
                for (var c = 0; c < k; c++)
                {
                    w[c] -= learningRate * ((g[c] / n) + (l2 * w[c]));
                }
            }

            for (var c = 0; c < k; c++)
            {
                bias[c] -= learningRate * biasGradient[c] / n;
            }
        }

        return new SoftmaxRegression(classes, weights.ToDictionary(p => p.Key, p => p.Value.Select(v => (float)v).ToArray()), bias.Select(b => (float)b).ToArray());
    }

    internal static double[] Softmax(double[] scores)
    {
        var max = scores.Max();
        var sum = 0.0;
        var result = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            result[i] = Math.Exp(scores[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}
