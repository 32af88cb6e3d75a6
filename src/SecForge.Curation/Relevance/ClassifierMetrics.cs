namespace SecForge.Curation.Relevance;

/// <summary>Precision, recall and F1 of a binary classifier on labelled examples.</summary>
public sealed record ClassifierMetrics(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double Accuracy => Count == 0 ? 0 : (double)(TruePositives + TrueNegatives) / Count;

    /// <summary>Counts predictions against labels.</summary>
    public static ClassifierMetrics Of(IReadOnlyList<bool> predicted, IReadOnlyList<bool> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < predicted.Count; i++)
        {
            (tp, fp, tn, fn) = (predicted[i], actual[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        return new ClassifierMetrics(tp, fp, tn, fn);
    }
}
