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

        // Fast path: prose in plain ASCII letters where English function words are frequent is English; the
        // statistical detector is only needed for the rest.
        if (LooksEnglish(prose))
        {
            return ("en", 0.99);
        }

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

    private static readonly HashSet<string> EnglishFunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "with", "was", "on", "be", "by", "this", "are",
        "or", "an", "from", "at", "which", "but", "not", "have", "has", "can", "will", "their", "its", "they", "we", "you",
    };

    private static bool LooksEnglish(string prose)
    {
        var words = 0;
        var function = 0;
        var nonAscii = 0;
        var letters = 0;
        foreach (var range in prose.AsSpan().Split(' '))
        {
            var word = prose.AsSpan()[range].Trim(".,;:!?()\"'");
            if (word.IsEmpty)
            {
                continue;
            }

            words++;
            if (EnglishFunctionWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
            {
                function++;
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

        return words >= 20 && function >= words * 0.2 && nonAscii <= letters * 0.01;
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
