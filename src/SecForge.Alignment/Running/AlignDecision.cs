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

    /// <summary>benign, dual-use or harmful (the most severe of the record's exchanges); empty for unreadable records.</summary>
    public string Triage { get; init; } = string.Empty;

    public string Category { get; init; } = string.Empty;

    public double? Confidence { get; init; }

    public string? TriagedBy { get; init; }

    /// <summary>kept, rewritten, refused, rejected, or error (the record could not be read).</summary>
    public required string Action { get; init; }

    public string Reason { get; init; } = string.Empty;

    public int Exchanges { get; init; }

    public double? EntityRetention { get; init; }

    public double? Similarity { get; init; }

    /// <summary>Journal only: the new replies by their path in the record.</summary>
    public List<Replacement>? Replacements { get; init; }
}

/// <summary>A reply to write at a path of the record (list positions written "#N").</summary>
public sealed record Replacement(List<string> Path, string Response)
{
    public static Replacement Of(Data.Exchange exchange, string response) =>
        new(exchange.Path.Select(p => p is int i ? "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string)p).ToList(), response);

    public Data.Exchange ToExchange() =>
        new(Path.Select(p => p.StartsWith('#') ? (object)int.Parse(p.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : p).ToList(), null, string.Empty, string.Empty, string.Empty);
}

/// <summary>Action names.</summary>
public static class AlignActions
{
    public const string Kept = "kept";
    public const string Rewritten = "rewritten";
    public const string Refused = "refused";
    public const string Rejected = "rejected";
    public const string Error = "error";

    public static IReadOnlyList<string> All { get; } = [Kept, Rewritten, Refused, Rejected, Error];
}
