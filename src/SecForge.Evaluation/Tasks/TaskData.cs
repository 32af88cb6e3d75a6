using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Tasks;

/// <summary>A task's items as loaded from its files, with what scoring or prompting needs beside them.</summary>
/// <param name="Samples">The items in file order.</param>
/// <param name="Files">The files read, for the run's metadata.</param>
/// <param name="ShotPool">Where few-shot examples come from when not the items themselves (MMLU's dev split).</param>
/// <param name="Actors">The alias and related-group graphs of threat-actor attribution.</param>
public sealed record TaskData(IReadOnlyList<EvalSample> Samples, IReadOnlyList<string> Files, IReadOnlyList<EvalSample>? ShotPool = null, ThreatActorGraph? Actors = null)
{
    /// <summary>Rows of the files that cannot be asked or scored, with where and why.</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; init; } = [];
}
