using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Core.Taxonomy;

namespace SecForge.Alignment.Running;

/// <summary>
/// One line of decisions.jsonl: what happened to a record. The run's journal holds the same line plus the
/// replacement replies, so a killed run resumes after its last complete line and the outputs are rebuilt from it.
/// </summary>
public sealed record AlignDecision
{
    public long Index { get; init; }

    public long Line { get; init; }

    public string? Id { get; init; }

    /// <summary>The most severe class among the record's exchanges; null for unreadable records.</summary>
    public TriageClass? Triage { get; init; }

    /// <summary>The cyber-harm category of that exchange; null for a general topic (or an unreadable record).</summary>
    public CyberHarm? Category { get; init; }

    public double? Confidence { get; init; }

    public string? TriagedBy { get; init; }

    public required AlignAction Action { get; init; }

    /// <summary>Why, in words: the triage's reason, or the rejections joined.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Every reason the record was rejected, each with its code.</summary>
    public IReadOnlyList<Rejection>? Rejections { get; init; }

    public int Exchanges { get; init; }

    public double? EntityRetention { get; init; }

    public double? Similarity { get; init; }

    /// <summary>Journal only: the new replies by their path in the record.</summary>
    public List<Replacement>? Replacements { get; init; }

    /// <summary>The category's name for tables: the harm's, or "none".</summary>
    public string CategoryName => TriageClasses.CategoryName(Category);
}

/// <summary>A reply to write at a path of the record (list positions written "#N").</summary>
public sealed record Replacement(List<string> Path, string Response)
{
    public static Replacement Of(Data.Exchange exchange, string response) =>
        new(exchange.Path.Select(p => p is int i ? "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string)p).ToList(), response);

    public Data.Exchange ToExchange() =>
        new(Path.Select(p => p.StartsWith('#') ? (object)int.Parse(p.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : p).ToList(), null, string.Empty, string.Empty, string.Empty);
}
