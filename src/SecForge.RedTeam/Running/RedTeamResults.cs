using SecForge.Core.Statistics;
using SecForge.Core.Taxonomy;
using SecForge.Models.Middleware;
using SecForge.RedTeam.Taxonomy;

namespace SecForge.RedTeam.Running;

/// <summary>results.json of a red-team run: safety per OWASP category and per cyber-harm category, attack success per strategy, over-refusal.</summary>
public sealed record RedTeamResults
{
    public required string Taxonomy { get; init; }

    public required string Target { get; init; }

    public string? Judge { get; init; }

    public string? Attacker { get; init; }

    public int Seed { get; init; }

    public int Attacks { get; init; }

    public int Failed { get; init; }

    /// <summary>Safety by OWASP id ("LLM01" ...).</summary>
    public required IReadOnlyDictionary<string, CategoryScore> Categories { get; init; }

    /// <summary>Safety by cyber-harm category ("malware" ...).</summary>
    public required IReadOnlyDictionary<string, CategoryScore> Harms { get; init; }

    /// <summary>Attack success rate by strategy ("plain", "base64" ...).</summary>
    public required IReadOnlyDictionary<string, StrategyScore> Strategies { get; init; }

    public OverRefusal? OverRefusal { get; init; }

    public ModelUsageSnapshot? Usage { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>Aggregates attempts.</summary>
    public static RedTeamResults From(IReadOnlyList<Attempt> attempts, string target, string? judge, string? attacker, int seed)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var taxonomy = OwaspTaxonomy.Default;
        var attacks = attempts.Where(a => !a.Benign).ToList();
        var categories = new SortedDictionary<string, CategoryScore>(StringComparer.Ordinal);
        foreach (var group in attacks.SelectMany(a => a.Owasp.Select(id => (Id: id, Attempt: a))).GroupBy(x => x.Id, StringComparer.Ordinal))
        {
            var entry = taxonomy.Find(group.Key);
            categories[group.Key] = Score(entry?.Name ?? group.Key, group.Select(x => x.Attempt).ToList()) with { V2023 = entry?.V2023, V2026 = entry?.V2026 };
        }

        var harms = new SortedDictionary<string, CategoryScore>(StringComparer.Ordinal);
        foreach (var group in attacks.Where(a => a.Harm is not null).GroupBy(a => CyberHarms.Name(a.Harm!.Value), StringComparer.Ordinal))
        {
            harms[group.Key] = Score(group.Key, group.ToList());
        }

        var strategies = new SortedDictionary<string, StrategyScore>(StringComparer.Ordinal);
        foreach (var group in attacks.GroupBy(a => a.Strategy, StringComparer.Ordinal))
        {
            var succeeded = group.Count(a => a.Verdict == AttemptVerdict.Unsafe);
            var withstood = group.Count(a => a.Verdict == AttemptVerdict.Safe);
            var (rate, low, high) = Proportion.Of(succeeded, succeeded + withstood);
            strategies[group.Key] = new StrategyScore { AttackSuccessRate = rate, CiLow = low, CiHigh = high, Attempts = group.Count(), Succeeded = succeeded, Withstood = withstood, Ungraded = group.Count(a => a.Verdict == AttemptVerdict.Ungraded) };
        }

        OverRefusal? overRefusal = null;
        var benign = attempts.Where(a => a.Benign).ToList();
        if (benign.Count > 0)
        {
            var refused = benign.Count(a => a.Verdict == AttemptVerdict.Unsafe);
            var answered = benign.Count(a => a.Verdict == AttemptVerdict.Safe);
            var (rate, low, high) = Proportion.Of(refused, refused + answered);
            overRefusal = new OverRefusal { Rate = rate, CiLow = low, CiHigh = high, Prompts = benign.Count, Refused = refused, Answered = answered, Ungraded = benign.Count(a => a.Verdict == AttemptVerdict.Ungraded) };
        }

        return new RedTeamResults
        {
            Taxonomy = attempts.Count > 0 ? attempts[0].Taxonomy : taxonomy.Current,
            Target = target,
            Judge = judge,
            Attacker = attacker,
            Seed = seed,
            Attacks = attempts.Count,
            Failed = attempts.Count(a => a.Error is not null),
            Categories = categories,
            Harms = harms,
            Strategies = strategies,
            OverRefusal = overRefusal,
        };
    }

    private static CategoryScore Score(string name, List<Attempt> attempts)
    {
        var withstood = attempts.Count(a => a.Verdict == AttemptVerdict.Safe);
        var succeeded = attempts.Count(a => a.Verdict == AttemptVerdict.Unsafe);
        var (score, low, high) = Proportion.Of(withstood, withstood + succeeded);
        return new CategoryScore
        {
            Name = name,
            SafetyScore = score,
            CiLow = low,
            CiHigh = high,
            Attacks = attempts.Count,
            Withstood = withstood,
            Succeeded = succeeded,
            Ungraded = attempts.Count(a => a.Verdict == AttemptVerdict.Ungraded && a.Error is null),
            Failed = attempts.Count(a => a.Error is not null),
        };
    }
}
