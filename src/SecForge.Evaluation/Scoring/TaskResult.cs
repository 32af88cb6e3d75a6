namespace SecForge.Evaluation.Scoring;

/// <summary>A task's results: counts, each metric by name (mean over trials), and the metrics' spread.</summary>
public sealed record TaskResult
{
    public required string Task { get; init; }

    public string? Benchmark { get; init; }

    /// <summary>Items evaluated.</summary>
    public int Samples { get; init; }

    public int Trials { get; init; }

    /// <summary>Item × trial pairs scored.</summary>
    public int Scored { get; init; }

    /// <summary>Item × trial pairs whose model call failed after its retries.</summary>
    public int Failed { get; init; }

    /// <summary>Item × trial pairs only a judge could grade (none given, or its verdict was unusable).</summary>
    public int Ungraded { get; init; }

    /// <summary>Replies that refused (counted wrong).</summary>
    public int Refusals { get; init; }

    /// <summary>Each metric's value by name: accuracy, accuracy_flexible, mad, f1_micro, f1_macro, correct, plausible, refusals.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Each metric's spread by name.</summary>
    public required IReadOnlyDictionary<string, MetricValue> Intervals { get; init; }

    /// <summary>The headline metric's name.</summary>
    public string? Headline { get; init; }

    /// <summary>Rows of the benchmark's files that could not be asked or scored (an empty gold answer, an empty question).</summary>
    public int Skipped { get; init; }

    /// <summary>The first <see cref="SkippedShown"/> skipped rows as "file:line: reason".</summary>
    public IReadOnlyList<string>? SkippedItems { get; init; }

    /// <summary>Skipped rows listed in results.json and the report.</summary>
    public const int SkippedShown = 50;
}
