using System.Text;
using System.Text.RegularExpressions;
using Lingua;

namespace SecForge.Curation.Steps;

/// <summary>
/// Keeps documents in the configured languages. Identification runs on the prose only: code blocks, URLs,
/// CVE/CWE/ATT&amp;CK ids, hashes, addresses and numbers are removed first, so an English advisory that is
/// mostly identifiers is still English (FineWeb's fastText filter drops such records). Text with too little
/// prose to tell is "und" and kept or dropped by configuration.
/// </summary>
public sealed partial class LanguageFilter : CurationStep
{
    private const int SampleChars = 1000;
    private const int MinLetters = 40;

    /// <summary>The confidence reported for a function-word verdict.</summary>
    internal const double FastPathConfidence = 0.99;
    private static readonly Lazy<LanguageDetector> SharedDetector = new(() =>
        LanguageDetectorBuilder.FromAllSpokenLanguages().WithLowAccuracyMode().Build());

    private readonly HashSet<string> _keep;
    private readonly double _minConfidence;
    private readonly bool _keepUndetermined;

    public LanguageFilter(IEnumerable<string> keep, double minConfidence = 0.5, bool keepUndetermined = true)
    {
        _keep = new HashSet<string>(keep.Select(k => k.Trim().ToLowerInvariant()), StringComparer.Ordinal);
        _minConfidence = minConfidence;
        _keepUndetermined = keepUndetermined;
    }

    /// <inheritdoc />
    public override string Name => "language";

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (language, confidence) = Identify(document.Text);
        document.Language = language;
        document.LanguageConfidence = confidence;
        if (language == "und")
        {
            return _keepUndetermined ? StepOutcome.Keep : StepOutcome.Drop("language:undetermined");
        }

        return _keep.Count == 0 || _keep.Contains(language) ? StepOutcome.Keep : StepOutcome.Drop($"language:{language}");
    }

    /// <summary>The ISO 639-1 code of <paramref name="text"/>'s prose and the detector's confidence; "und" when unclear.</summary>
    public (string Language, double Confidence) Identify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prose = ProseOf(text);
        var letters = 0;
        foreach (var c in prose)
        {
            if (char.IsLetter(c))
            {
                letters++;
            }
        }

        if (letters < MinLetters)
        {
            return ("und", 0);
        }

        // Fast path: prose dominated by one language's function words is in that language (the statistical
        // detector costs ~7 ms a document on all languages and is only needed for the rest).
        if (ByFunctionWords(prose) is { } quick)
        {
            return (quick, FastPathConfidence);
        }

        return Statistical(prose);
    }

    /// <summary>The statistical detector's verdict on <paramref name="prose"/> (Lingua, all spoken languages, low-accuracy mode).</summary>
    internal (string Language, double Confidence) Statistical(string prose)
    {
        var detector = SharedDetector.Value;
        var values = detector.ComputeLanguageConfidenceValues(prose);
        if (values.Count == 0)
        {
            return ("und", 0);
        }

        var best = values.MaxBy(v => v.Value);
        if (best.Value < _minConfidence)
        {
            return ("und", best.Value);
        }

        var code = LanguageInfo.IsoCode6391(best.Key).ToString().ToLowerInvariant();
        return (code, best.Value);
    }

    /// <summary>
    /// The commonest function words of widely used Latin-script languages. Long prose uses them at rates of 30–50%
    /// of its words, and each list is dominated by words the others lack, so a clear winner is a reliable verdict;
    /// anything less clear goes to the statistical detector.
    /// </summary>
    private static readonly (string Code, HashSet<string> Words)[] FunctionWords =
    [
        ("en", Words("the of and to a in is that for it as with was on be by this are or an from at which but not have has can will their its they we you")),
        ("de", Words("der die und den das nicht von zu mit sich des auf für ist im dem ein eine auch es werden aus er hat dass sie nach wird bei einer um noch wie einem über zum oder sind")),
        ("fr", Words("le la les et des est que une du dans qui pour pas sur au avec ce il sont par plus ne se nous mais ou cette aux leur été")),
        ("es", Words("el los las y que del se por con una para es al lo como más pero sus ya fue este ha muy también entre cuando sobre sin")),
        ("it", Words("il di che è della per un gli le del non sono alla si da dei nel con una anche come più questo ma ha delle nella")),
        ("pt", Words("o os as que do da em um uma para com não dos das por mais se como mas foi ao ele à seu sua ou é são pelo")),
        ("nl", Words("de het een en van is dat op te zijn voor met niet aan er ook als bij door maar om naar dan wordt deze of worden heeft")),
    ];

    private static HashSet<string> Words(string words) => new(words.Split(' '), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The language whose function words clearly dominate <paramref name="prose"/> (at least 15% of its words and
    /// twice the runner-up), or null. English also needs plain-ASCII letters, as before the detector existed.
    /// </summary>
    internal static string? ByFunctionWords(string prose)
    {
        Span<int> hits = stackalloc int[FunctionWords.Length];
        var words = 0;
        var nonAscii = 0;
        var letters = 0;
        foreach (var range in prose.AsSpan().Split(' '))
        {
            var word = prose.AsSpan()[range].Trim(".,;:!?()\"'«»„“”‘’");
            if (word.IsEmpty)
            {
                continue;
            }

            words++;
            for (var i = 0; i < FunctionWords.Length; i++)
            {
                if (FunctionWords[i].Words.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
                {
                    hits[i]++;
                }
            }

            foreach (var c in word)
            {
                if (char.IsLetter(c))
                {
                    letters++;
                    if (c > 127)
                    {
                        nonAscii++;
                    }
                }
            }
        }

        if (words < 20)
        {
            return null;
        }

        int best = 0, second = -1;
        for (var i = 1; i < hits.Length; i++)
        {
            if (hits[i] > hits[best])
            {
                second = best;
                best = i;
            }
            else if (second < 0 || hits[i] > hits[second])
            {
                second = i;
            }
        }

        if (hits[best] < words * 0.15 || hits[best] < 2 * hits[second])
        {
            return null;
        }

        var code = FunctionWords[best].Code;
        return code == "en" && nonAscii > letters * 0.01 ? null : code;
    }

    /// <summary>The text with code, identifiers and numbers removed, at most a few thousand characters of it.</summary>
    internal static string ProseOf(string text)
    {
        var withoutCode = CodeFence().Replace(text, " ");
        var prose = Identifiers().Replace(withoutCode, " ");
        var builder = new StringBuilder(Math.Min(prose.Length, SampleChars));
        var space = false;
        foreach (var c in prose)
        {
            if (builder.Length >= SampleChars)
            {
                break;
            }

            if (char.IsWhiteSpace(c) || c is '|' or '#' or '*' or '`' or '>' or '-' or '_' or '=')
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex CodeFence();

    [GeneratedRegex(
        @"https?://\S+|www\.\S+|\S+@\S+\.\w+|\b(?:CVE|CWE|CAPEC|GHSA|OSV|KB|MS)[-_][\w-]+|\bT\d{4}(?:\.\d{3})?\b|\b[0-9a-fA-F]{32,128}\b|\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d+)?\b|\b[0-9a-fA-F:]{8,}\b|[\w.-]*[/\\][\w./\\-]+|\b\w*\d[\w.-]*\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex Identifiers();
}
