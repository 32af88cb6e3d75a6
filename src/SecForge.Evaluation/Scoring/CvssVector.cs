using System.Text.RegularExpressions;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// A CVSS v3.x base vector and its base score per the FIRST CVSS v3.1 specification (section 7): the impact
/// sub-score from the CIA impacts and scope, exploitability from AV/AC/PR/UI (PR weighs more when scope changes),
/// and the v3.1 Roundup that rounds up to one decimal on an integer basis so floating-point noise cannot push
/// 4.0 to 4.1.
/// </summary>
public sealed partial record CvssVector(char AttackVector, char AttackComplexity, char PrivilegesRequired, char UserInteraction, char Scope, char Confidentiality, char Integrity, char Availability)
{
    /// <summary>The vector in canonical form, with the CVSS:3.1 prefix.</summary>
    public override string ToString() =>
        $"CVSS:3.1/AV:{AttackVector}/AC:{AttackComplexity}/PR:{PrivilegesRequired}/UI:{UserInteraction}/S:{Scope}/C:{Confidentiality}/I:{Integrity}/A:{Availability}";

    /// <summary>
    /// Parses a base vector with or without the "CVSS:3.0/" or "CVSS:3.1/" prefix, metrics in any order; each of
    /// the eight base metrics must appear exactly once with a valid value. Temporal and environmental metrics
    /// are ignored. Returns null when the text is not such a vector.
    /// </summary>
    public static CvssVector? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, char>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon != part.Length - 2)
            {
                if (part.StartsWith("CVSS:3.", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                return null;
            }

            var name = part[..colon].Trim().ToUpperInvariant();
            var value = char.ToUpperInvariant(part[^1]);
            if (!IsValid(name, value))
            {
                if (name is "E" or "RL" or "RC" or "CR" or "IR" or "AR" or "MAV" or "MAC" or "MPR" or "MUI" or "MS" or "MC" or "MI" or "MA")
                {
                    continue;
                }

                return null;
            }

            if (!values.TryAdd(name, value))
            {
                return null;
            }
        }

        return values.Count == 8
            ? new CvssVector(values["AV"], values["AC"], values["PR"], values["UI"], values["S"], values["C"], values["I"], values["A"])
            : null;
    }

    private static bool IsValid(string metric, char value) => metric switch
    {
        "AV" => value is 'N' or 'A' or 'L' or 'P',
        "AC" => value is 'L' or 'H',
        "PR" or "C" or "I" or "A" => value is 'N' or 'L' or 'H',
        "UI" => value is 'N' or 'R',
        "S" => value is 'U' or 'C',
        _ => false,
    };

    /// <summary>The last base vector in <paramref name="text"/> (a model's reply), or null.</summary>
    public static CvssVector? FindLast(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = VectorPattern().Matches(text);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            if (TryParse(matches[i].Value) is { } vector)
            {
                return vector;
            }
        }

        return null;
    }

    /// <summary>The base score, 0.0 to 10.0.</summary>
    public double BaseScore
    {
        get
        {
            var changed = Scope == 'C';
            var iss = 1 - ((1 - Impact(Confidentiality)) * (1 - Impact(Integrity)) * (1 - Impact(Availability)));
            var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
            var exploitability = 8.22 * AttackVectorWeight * AttackComplexityWeight * PrivilegesWeight(changed) * UserInteractionWeight;
            if (impact <= 0)
            {
                return 0;
            }

            return changed
                ? Roundup(Math.Min(1.08 * (impact + exploitability), 10))
                : Roundup(Math.Min(impact + exploitability, 10));
        }
    }

    /// <summary>CVSS v3.1 Roundup (specification appendix A): the smallest one-decimal number ≥ the input.</summary>
    public static double Roundup(double value)
    {
        var integer = (long)Math.Round(value * 100_000);
        return integer % 10_000 == 0 ? integer / 100_000.0 : (Math.Floor(integer / 10_000.0) + 1) / 10.0;
    }

    private static double Impact(char value) => value switch { 'H' => 0.56, 'L' => 0.22, _ => 0 };

    private double AttackVectorWeight => AttackVector switch { 'N' => 0.85, 'A' => 0.62, 'L' => 0.55, _ => 0.2 };

    private double AttackComplexityWeight => AttackComplexity == 'L' ? 0.77 : 0.44;

    private double PrivilegesWeight(bool changed) => PrivilegesRequired switch
    {
        'N' => 0.85,
        'L' => changed ? 0.68 : 0.62,
        _ => changed ? 0.5 : 0.27,
    };

    private double UserInteractionWeight => UserInteraction == 'N' ? 0.85 : 0.62;

    [GeneratedRegex(@"(?:CVSS:3\.[01]/)?AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[NLH]/I:[NLH]/A:[NLH]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VectorPattern();
}
