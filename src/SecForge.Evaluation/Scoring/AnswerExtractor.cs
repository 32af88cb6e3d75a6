using System.Globalization;
using System.Text.RegularExpressions;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// Reads answers out of replies, strictly (the protocol's rule) and flexibly (Foundation-Sec's chain:
/// <c>answer:\s*\(?X</c>, "answer is X", a lone letter, "Option X", then the last line). Answers come back
/// normalised: letters upper-case and sorted, "CWE-79", canonical CVSS vectors, "T1059, T1071", trimmed names.
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>Extracts the answer of <paramref name="kind"/> from <paramref name="reply"/>.</summary>
    /// <param name="labels">Valid option letters for choice kinds ("ABCD", "ABCDX", "TFX").</param>
    /// <param name="actors">Known actor names for <see cref="AnswerKind.ThreatActor"/>'s flexible rule.</param>
    /// <param name="pattern">The capture pattern of <see cref="AnswerKind.Regex"/> tasks.</param>
    public static ExtractedAnswer Extract(AnswerKind kind, string reply, ExtractionRule rule, string labels = "ABCD", IReadOnlySet<string>? actors = null, Regex? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return kind switch
        {
            AnswerKind.MultipleChoice => new(SingleLetterStrict(reply, rule, labels), SingleLetterFlexible(reply, labels)),
            AnswerKind.TrueFalse => TrueFalse(reply, rule, labels),
            AnswerKind.MultipleAnswer => new(LetterSetStrict(reply, labels), LetterSetFlexible(reply, labels)),
            AnswerKind.Cwe => new(LastCwe(reply, strict: true), LastCwe(reply, strict: false)),
            AnswerKind.CvssVector => new(CvssVector.FindLast(reply)?.ToString(), CvssVector.FindLast(Compact(reply))?.ToString()),
            AnswerKind.AttackTechniques => new(Techniques(LastLine(reply)), Techniques(reply)),
            AnswerKind.ThreatActor => Actor(reply, actors),
            AnswerKind.Number => new(StrictNumber(reply), LastNumber(reply)),
            AnswerKind.Exact => new(NormalizeText(reply), NormalizeText(LastLine(reply))),
            AnswerKind.Regex => Pattern(reply, pattern),
            _ => new(null, null),
        };
    }

    private static string? SingleLetterStrict(string reply, ExtractionRule rule, string labels) => rule switch
    {
        ExtractionRule.AnswerTag => First(AnswerTag().Match(reply), labels),
        ExtractionRule.AnswerColon => First(AnswerColon().Match(reply), labels),
        ExtractionRule.Completion => FirstLetterOfCompletion(reply, labels),
        _ => LastLetterOfLastLine(reply, labels),
    };

    private static string? SingleLetterFlexible(string reply, string labels) =>
        First(AnswerColon().Match(reply), labels)
        ?? First(AnswerIs().Match(reply), labels)
        ?? LoneLetter(reply, labels)
        ?? First(OptionLetter().Match(reply), labels)
        ?? First(AnswerTag().Match(reply), labels)
        ?? LastLetterOfLastLine(reply, labels)
        ?? FirstLetterOfCompletion(reply, labels);

    private static string? First(Match match, string labels)
    {
        if (!match.Success)
        {
            return null;
        }

        var letter = char.ToUpperInvariant(match.Groups[1].Value[0]);
        return labels.Contains(letter, StringComparison.Ordinal) ? letter.ToString() : null;
    }

    private static string? FirstLetterOfCompletion(string reply, string labels)
    {
        var text = reply.TrimStart(' ', '\t', '\n', '\r', '(', '*', '[');
        if (text.Length == 0)
        {
            return null;
        }

        // Upper case only: a completion starting "a lot ..." is prose, not option A.
        var letter = text[0];
        return char.IsUpper(letter) && labels.Contains(letter, StringComparison.Ordinal) && (text.Length == 1 || !char.IsLetterOrDigit(text[1])) ? letter.ToString() : null;
    }

    /// <summary>The reply itself is just a letter: "B", "B.", "(B)", "**B**", "B) Execution Prevention".</summary>
    private static string? LoneLetter(string reply, string labels)
    {
        var match = LoneLetterPattern().Match(reply.Trim());
        return First(match, labels);
    }

    private static string? LastLetterOfLastLine(string reply, string labels)
    {
        var line = StripAnswerPrefix(LastLine(reply));
        var matches = StandaloneLetter().Matches(line);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            var letter = matches[i].Groups[1].Value[0];
            // A lower-case "a" is an article, not an option.
            if (char.IsUpper(letter) && labels.Contains(letter, StringComparison.Ordinal))
            {
                return letter.ToString();
            }
        }

        return null;
    }

    private static ExtractedAnswer TrueFalse(string reply, ExtractionRule rule, string labels)
    {
        var strict = rule == ExtractionRule.Completion ? FirstLetterOfCompletion(reply, labels) : LastLetterOfLastLine(reply, labels);
        var last = StripAnswerPrefix(LastLine(reply)).Trim().TrimEnd('.', '!').ToLowerInvariant();
        var flexible = strict ?? last switch
        {
            "true" or "yes" or "correct" => "T",
            "false" or "no" or "incorrect" => "F",
            "don't know" or "do not know" or "unknown" or "i don't know" => labels.Contains('X', StringComparison.Ordinal) ? "X" : null,
            _ => TrueFalseWord().Match(reply) is { Success: true } word ? (word.Value.StartsWith('t') || word.Value.StartsWith('T') ? "T" : "F") : null,
        };
        return new(strict, flexible);
    }

    private static string? LetterSetStrict(string reply, string labels)
    {
        var tagged = AnswerLetters().Match(reply);
        if (tagged.Success)
        {
            return LetterSet(tagged.Groups[1].Value, labels);
        }

        var last = StripAnswerPrefix(LastLine(reply)).Trim();
        return LetterList().IsMatch(last) ? LetterSet(last, labels) : null;
    }

    private static string? LetterSetFlexible(string reply, string labels) =>
        LetterSetStrict(reply, labels) ?? LetterSet(StripAnswerPrefix(LastLine(reply)), labels, standaloneOnly: true);

    private static string? LetterSet(string text, string labels, bool standaloneOnly = false)
    {
        var letters = new SortedSet<char>();
        if (standaloneOnly)
        {
            foreach (Match match in StandaloneLetter().Matches(text))
            {
                var c = match.Groups[1].Value[0];
                if (char.IsUpper(c) && labels.Contains(c, StringComparison.Ordinal))
                {
                    letters.Add(c);
                }
            }
        }
        else
        {
            // A letter list such as "AB", "A, C" or "B and D": the upper-case option letters once "and" is gone.
            foreach (var c in AndWord().Replace(text, " "))
            {
                if (char.IsUpper(c) && labels.Contains(c, StringComparison.Ordinal))
                {
                    letters.Add(c);
                }
            }
        }

        return letters.Count == 0 ? null : string.Concat(letters);
    }

    /// <summary>Upper-case letters in order: "B, A" and "ab" both become "AB".</summary>
    public static string NormalizeLetters(string letters) => string.Concat(letters.ToUpperInvariant().Where(char.IsLetter).Distinct().Order());

    private static string? LastCwe(string reply, bool strict)
    {
        var matches = (strict ? CweStrict() : CweLoose()).Matches(reply);
        return matches.Count == 0 ? null : "CWE-" + matches[^1].Groups[1].Value;
    }

    /// <summary>"CWE-079" and "cwe 79" become "CWE-79".</summary>
    public static string? NormalizeCwe(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = CweLoose().Match(text);
        return match.Success ? "CWE-" + int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Main technique ids (sub-techniques cut to their parent), sorted, comma-separated; null when none.</summary>
    public static string? Techniques(string text)
    {
        var ids = ParseTechniques(text);
        return ids.Count == 0 ? null : string.Join(", ", ids);
    }

    /// <summary>The set of main technique ids in <paramref name="text"/>.</summary>
    public static SortedSet<string> ParseTechniques(string? text)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in TechniqueId().Matches(text ?? string.Empty))
        {
            ids.Add("T" + match.Groups[1].Value);
        }

        return ids;
    }

    private static ExtractedAnswer Actor(string reply, IReadOnlySet<string>? actors)
    {
        var last = StripAnswerPrefix(LastLine(reply)).Trim().Trim('*', '`', '"', '\'', '.', ' ');
        var strict = last.Length is > 0 and <= 80 ? last : null;
        string? flexible = null;
        if (actors is not null)
        {
            // The last known actor name mentioned anywhere in the reply.
            var normalized = " " + string.Join(' ', NonWord().Split(reply.ToLowerInvariant()).Where(w => w.Length > 0)) + " ";
            var best = -1;
            foreach (var name in actors)
            {
                var at = normalized.LastIndexOf(" " + string.Join(' ', NonWord().Split(name).Where(w => w.Length > 0)) + " ", StringComparison.Ordinal);
                if (at > best)
                {
                    best = at;
                    flexible = name;
                }
            }
        }

        return new(strict, flexible ?? strict);
    }

    private static string? StrictNumber(string reply) =>
        double.TryParse(reply.Trim().TrimEnd('.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value.ToString("0.###", CultureInfo.InvariantCulture) : null;

    private static string? LastNumber(string reply)
    {
        var matches = NumberPattern().Matches(reply);
        return matches.Count == 0 ? null : double.Parse(matches[^1].Value, CultureInfo.InvariantCulture).ToString("0.###", CultureInfo.InvariantCulture);
    }

    private static ExtractedAnswer Pattern(string reply, Regex? pattern)
    {
        if (pattern is null)
        {
            return new(null, null);
        }

        var matches = pattern.Matches(reply);
        if (matches.Count == 0)
        {
            return new(null, null);
        }

        static string Value(Match m) => (m.Groups.Count > 1 ? m.Groups[1].Value : m.Value).Trim();
        return new(Value(matches[0]), Value(matches[^1]));
    }

    /// <summary>Lower-case, whitespace collapsed, surrounding punctuation and quotes removed.</summary>
    public static string NormalizeText(string text) =>
        string.Join(' ', (text ?? string.Empty).ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim('.', '"', '\'', '`', '*', ' ');

    /// <summary>The last line with text on it.</summary>
    public static string LastLine(string reply)
    {
        var lines = reply.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && line.Trim('`', '*', '-', '_', '=', '#').Length > 0)
            {
                return line;
            }
        }

        return string.Empty;
    }

    private static string StripAnswerPrefix(string line) => AnswerPrefix().Replace(line.Replace("**", string.Empty, StringComparison.Ordinal).Trim('#', ' ', '>'), string.Empty);

    private static string Compact(string reply) => SpacesAroundSeparators().Replace(reply, "$1");

    [GeneratedRegex(@"ANSWER:?\s*\(?\s*([A-Za-z])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerTag();

    [GeneratedRegex(@"answer:\s*\(?\s*([A-Za-z])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerColon();

    [GeneratedRegex(@"answer\s+is\s*:?\s*(?:option\s*)?\(?\**\s*([A-Za-z])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerIs();

    [GeneratedRegex(@"\bOption\s*\(?([A-Z])\b", RegexOptions.CultureInvariant)]
    private static partial Regex OptionLetter();

    [GeneratedRegex(@"^[\*\(\[`""']*([A-Za-z])[\*\)\]`""'.:]*(?:\s*[\)\.:-]\s*.{0,200})?$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LoneLetterPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9])([A-Za-z])(?![A-Za-z0-9'])", RegexOptions.CultureInvariant)]
    private static partial Regex StandaloneLetter();

    [GeneratedRegex(@"answers?\s*(?:are|is)?\s*:\s*([A-Z](?:\s*(?:,|and|&|/)?\s*[A-Z])*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerLetters();

    [GeneratedRegex(@"^[\(\[]?[A-Z][\)\]]?(?:\s*(?:,|and|&|/)?\s*[\(\[]?[A-Z][\)\]]?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex LetterList();

    [GeneratedRegex(@"^(?:final\s+)?(?:answer|option|choice|actor|threat actor|cwe|vector|attribution)s?\s*(?:is|are)?\s*[:\-]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerPrefix();

    [GeneratedRegex(@"\band\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndWord();

    [GeneratedRegex(@"\bCWE-(\d{1,5})\b", RegexOptions.CultureInvariant)]
    private static partial Regex CweStrict();

    [GeneratedRegex(@"\bCWE[\s_\-:]*(\d{1,5})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CweLoose();

    [GeneratedRegex(@"\bT(\d{4})(?:\.\d{3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex TechniqueId();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b(?:true|false)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrueFalseWord();

    [GeneratedRegex(@"[^\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\s*([/:])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SpacesAroundSeparators();
}
