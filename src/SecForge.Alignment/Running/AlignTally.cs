using SecForge.Alignment.Triage;

namespace SecForge.Alignment.Running;

/// <summary>
/// Counts an alignment run's decisions as the outputs are rebuilt: actions, classes, categories, every rejection
/// code of a record (each once per record), entity retention and similarity, and a seeded reservoir of
/// before/after examples per action for the report.
/// </summary>
internal sealed class AlignTally(int reportSamples, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<AlignAction, int> _seenByAction = [];
    private double _retentionSum;
    private double _similaritySum;
    private long _retentionCount;
    private long _similarityCount;

    public long Records { get; private set; }

    public long Exchanges { get; private set; }

    public SortedDictionary<string, long> Actions { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Classes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, SortedDictionary<string, long>> Categories { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> RejectionCodes { get; } = new(StringComparer.Ordinal);

    public double? MinRetention { get; private set; }

    public double? MeanRetention => _retentionCount == 0 ? null : Math.Round(_retentionSum / _retentionCount, 4);

    public double? MeanSimilarity => _similarityCount == 0 ? null : Math.Round(_similaritySum / _similarityCount, 4);

    public List<AlignSample> Samples { get; } = [];

    public void Add(AlignDecision decision)
    {
        Records++;
        Exchanges += decision.Exchanges;
        var action = AlignActions.Name(decision.Action);
        Actions[action] = Actions.GetValueOrDefault(action) + 1;
        if (decision.Triage is { } triage)
        {
            var name = TriageClasses.Name(triage);
            Classes[name] = Classes.GetValueOrDefault(name) + 1;
            var perCategory = Categories.TryGetValue(decision.CategoryName, out var existing) ? existing : Categories[decision.CategoryName] = new SortedDictionary<string, long>(StringComparer.Ordinal);
            perCategory[action] = perCategory.GetValueOrDefault(action) + 1;
        }

        if (decision.Action == AlignAction.Rejected)
        {
            foreach (var code in (decision.Rejections ?? []).Select(r => r.CodeName).Distinct(StringComparer.Ordinal))
            {
                RejectionCodes[code] = RejectionCodes.GetValueOrDefault(code) + 1;
            }
        }

        if (decision.Action != AlignAction.Rewritten)
        {
            return;
        }

        if (decision.Triage == TriageClass.DualUse && decision.EntityRetention is { } retention)
        {
            _retentionSum += retention;
            _retentionCount++;
            MinRetention = Math.Min(MinRetention ?? 1, retention);
        }

        if (decision.Similarity is { } similarity)
        {
            _similaritySum += similarity;
            _similarityCount++;
        }
    }

    /// <summary>Offers a changed or rejected record to the report's examples (reservoir sampling per action, seeded).</summary>
    public void Offer(AlignDecision decision, Func<string> before, Func<string>? after)
    {
        if (decision.Action == AlignAction.Kept)
        {
            return;
        }

        var seen = _seenByAction[decision.Action] = _seenByAction.GetValueOrDefault(decision.Action) + 1;
        var quota = Math.Max(1, reportSamples / 3);
        var mine = Samples.Where(s => s.Decision.Action == decision.Action).ToList();
        if (mine.Count < quota)
        {
            Samples.Add(new AlignSample(decision.Index, decision, before(), after?.Invoke()));
        }
        else if (_random.Next(seen) < quota)
        {
            Samples.Remove(mine[_random.Next(mine.Count)]);
            Samples.Add(new AlignSample(decision.Index, decision, before(), after?.Invoke()));
        }
    }
}
