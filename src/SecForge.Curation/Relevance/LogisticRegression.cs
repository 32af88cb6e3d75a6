namespace SecForge.Curation.Relevance;

/// <summary>
/// Binary logistic regression trained by full-batch gradient descent with L2 regularisation on standardised
/// features: the classification head over frozen sentence embeddings. Deterministic for the same data.
/// </summary>
public sealed class LogisticRegression
{
    public LogisticRegression(double[] weights, double bias, double[] means, double[] scales)
    {
        Weights = weights;
        Bias = bias;
        Means = means;
        Scales = scales;
    }

    public double[] Weights { get; }

    public double Bias { get; }

    /// <summary>Feature means used to standardise inputs.</summary>
    public double[] Means { get; }

    /// <summary>Feature standard deviations used to standardise inputs.</summary>
    public double[] Scales { get; }

    /// <summary>The probability of the positive class.</summary>
    public double Predict(ReadOnlySpan<float> features)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++)
        {
            z += Weights[i] * ((features[i] - Means[i]) / Scales[i]);
        }

        return 1.0 / (1.0 + Math.Exp(-z));
    }

    /// <summary>Trains on <paramref name="features"/> with labels (true = positive).</summary>
    public static LogisticRegression Train(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, double l2 = 0.01, int iterations = 800, double learningRate = 0.5)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException("need as many labels as examples, and at least one", nameof(labels));
        }

        var n = features.Count;
        var d = features[0].Length;
        var means = new double[d];
        var scales = new double[d];
        foreach (var row in features)
        {
            for (var j = 0; j < d; j++)
            {
                means[j] += row[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            means[j] /= n;
        }

        foreach (var row in features)
        {
            for (var j = 0; j < d; j++)
            {
                var delta = row[j] - means[j];
                scales[j] += delta * delta;
            }
        }

        for (var j = 0; j < d; j++)
        {
            scales[j] = Math.Sqrt(scales[j] / n);
            if (scales[j] < 1e-8)
            {
                scales[j] = 1;
            }
        }

        // Class weights balance an uneven labelled set.
        var positives = labels.Count(l => l);
        var positiveWeight = positives == 0 ? 1 : n / (2.0 * positives);
        var negativeWeight = positives == n ? 1 : n / (2.0 * (n - positives));
        var x = new double[n][];
        for (var i = 0; i < n; i++)
        {
            x[i] = new double[d];
            for (var j = 0; j < d; j++)
            {
                x[i][j] = (features[i][j] - means[j]) / scales[j];
            }
        }

        var weights = new double[d];
        var bias = 0.0;
        var gradient = new double[d];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Array.Clear(gradient);
            double biasGradient = 0;
            double totalWeight = 0;
            for (var i = 0; i < n; i++)
            {
                var z = bias;
                for (var j = 0; j < d; j++)
                {
                    z += weights[j] * x[i][j];
                }

                var p = 1.0 / (1.0 + Math.Exp(-z));
                var weight = labels[i] ? positiveWeight : negativeWeight;
                var error = (p - (labels[i] ? 1 : 0)) * weight;
                totalWeight += weight;
                for (var j = 0; j < d; j++)
                {
                    gradient[j] += error * x[i][j];
                }

                biasGradient += error;
            }

            for (var j = 0; j < d; j++)
            {
                weights[j] -= learningRate * ((gradient[j] / totalWeight) + (l2 * weights[j]));
            }

            bias -= learningRate * biasGradient / totalWeight;
        }

        return new LogisticRegression(weights, bias, means, scales);
    }
}
