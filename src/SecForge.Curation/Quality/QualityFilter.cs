using System.Text;
using SecForge.Curation.Pipeline;
using SecForge.Curation.Scrub;
using SecForge.Curation.Steps;

namespace SecForge.Curation.Quality;

/// <summary>
/// The Gopher quality and repetition rules, C4's line and page rules and FineWeb's rules, made security-aware:
/// statistics are taken over prose, so code blocks, tables, hash and IOC lists are not "low quality"; C4's
/// curly-brace rule is off by default. Each rule drops with its own reason, so stats.json shows its drop rate.
/// C4's line rules remove lines (cookie notices, fragments) rather than whole documents.
/// </summary>
public sealed class QualityFilter : CurationStep
{
    private static readonly string[] PolicyPhrases =
    [
        "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies", "accept cookies",
        "enable javascript", "javascript is disabled", "javascript must be enabled", "all rights reserved",
    ];

    private readonly QualityConfig _config;

    public QualityFilter(QualityConfig config) => _config = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc />
    public override string Name => "quality";

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (_config.C4.Enabled)
        {
            var (text, reason) = ApplyC4(document.Text);
            if (reason is not null)
            {
                return StepOutcome.Drop(reason);
            }

            document.Text = text;
        }

        var lines = TextLines.Of(document.Text);
        var english = document.Language is null or "en" or "und";
        return (_config.Gopher.Enabled ? Gopher(document.Text, lines, english) : null)
            ?? (_config.Repetition.Enabled ? Repetition(document.Text, lines) : null)
            ?? (_config.Fineweb.Enabled ? FineWeb(lines) : null)
            ?? StepOutcome.Keep;
    }

    private StepOutcome? Gopher(string text, TextLines lines, bool english)
    {
        var rules = _config.Gopher;
        var words = Words.Split(text);
        if (words.Length < rules.MinWords)
        {
            return StepOutcome.Drop("quality:gopher_min_words");
        }

        if (words.Length > rules.MaxWords)
        {
            return StepOutcome.Drop("quality:gopher_max_words");
        }

        var prose = string.Join('\n', lines.Textual());
        var proseWords = Words.Split(prose);
        if (proseWords.Length >= 20)
        {
            var mean = proseWords.Average(w => w.Length);
            if (mean < rules.MinMeanWordLength || mean > rules.MaxMeanWordLength)
            {
                return StepOutcome.Drop("quality:gopher_mean_word_length");
            }

            var symbols = proseWords.Count(w => w == "#" || w.Contains("...", StringComparison.Ordinal) || w.Contains('…'));
            if ((double)symbols / proseWords.Length > rules.MaxSymbolWordRatio)
            {
                return StepOutcome.Drop("quality:gopher_symbol_ratio");
            }
        }

        var textual = lines.Textual().ToList();
        if (textual.Count > 0)
        {
            var bullets = textual.Count(l => l.TrimStart().StartsWith('•') || l.TrimStart().StartsWith("- ", StringComparison.Ordinal) || l.TrimStart().StartsWith("* ", StringComparison.Ordinal));
            if (textual.Count >= 5 && (double)bullets / textual.Count > rules.MaxBulletLinesRatio)
            {
                return StepOutcome.Drop("quality:gopher_bullet_lines");
            }

            var ellipsis = textual.Count(l => l.TrimEnd().EndsWith("...", StringComparison.Ordinal) || l.TrimEnd().EndsWith('…'));
            if ((double)ellipsis / textual.Count > rules.MaxEllipsisLinesRatio)
            {
                return StepOutcome.Drop("quality:gopher_ellipsis_lines");
            }
        }

        if ((double)words.Count(Words.HasLetter) / words.Length < rules.MinAlphaWordsRatio)
        {
            return StepOutcome.Drop("quality:gopher_alpha_words");
        }

        if (english && words.Count(Words.EnglishStopWords.Contains) < rules.MinStopWords)
        {
            return StepOutcome.Drop("quality:gopher_stop_words");
        }

        return null;
    }

    private StepOutcome? Repetition(string text, TextLines lines)
    {
        var rules = _config.Repetition;
        var paragraphs = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (paragraphDuplicates, paragraphChars) = Duplicates(paragraphs);
        if (paragraphs.Length > 0 && (double)paragraphDuplicates / paragraphs.Length > rules.MaxDuplicateParagraphFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_paragraphs");
        }

        if ((double)paragraphChars / Math.Max(1, text.Length) > rules.MaxDuplicateParagraphCharFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_paragraph_chars");
        }

        // Lines of code and tables repeat by nature (closing braces, separators): judge prose lines only.
        var textual = lines.Textual().Where(l => l.Trim().Length > 0).ToArray();
        var (lineDuplicates, lineChars) = Duplicates(textual);
        if (textual.Length > 0 && (double)lineDuplicates / textual.Length > rules.MaxDuplicateLineFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_lines");
        }

        if ((double)lineChars / Math.Max(1, text.Length) > rules.MaxDuplicateLineCharFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_line_chars");
        }

        var words = Words.Split(string.Join('\n', lines.Textual()));
        if (words.Length < 20)
        {
            return null;
        }

        var limits = new[] { rules.MaxTop2GramFraction, rules.MaxTop3GramFraction, rules.MaxTop4GramFraction };
        for (var n = 2; n <= 4; n++)
        {
            if (TopNgramCharFraction(words, n) > limits[n - 2])
            {
                return StepOutcome.Drop($"quality:gopher_top_{n}gram");
            }
        }

        if (DuplicateNgramCharFraction(words, 5) > rules.MaxDuplicate5GramFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_5grams");
        }

        if (DuplicateNgramCharFraction(words, 10) > rules.MaxDuplicate10GramFraction)
        {
            return StepOutcome.Drop("quality:gopher_duplicate_10grams");
        }

        return null;
    }

    private (string Text, string? Reason) ApplyC4(string text)
    {
        var rules = _config.C4;
        var lower = text.ToLowerInvariant();
        if (rules.DropLoremIpsum && lower.Contains("lorem ipsum", StringComparison.Ordinal))
        {
            return (text, "quality:c4_lorem_ipsum");
        }

        if (rules.DropCurlyBrace && text.Contains('{', StringComparison.Ordinal))
        {
            return (text, "quality:c4_curly_brace");
        }

        var lines = TextLines.Of(text);
        var kept = new StringBuilder(text.Length);
        var sentences = 0;
        for (var i = 0; i < lines.Lines.Length; i++)
        {
            var line = lines.Lines[i];
            if (lines.Kinds[i] == LineKind.Prose)
            {
                var lineLower = line.ToLowerInvariant();
                if (rules.RemovePolicyLines && PolicyPhrases.Any(p => lineLower.Contains(p, StringComparison.Ordinal)))
                {
                    continue;
                }

                // Fragments go; a line that is an indicator (an address, a hash, a CVE id) stays.
                if (Words.Split(line).Length < rules.MinWordsPerLine && !IndicatorPatterns.ContainsIndicator(line))
                {
                    continue;
                }

                sentences += CountSentences(line);
            }
            else if (lines.Kinds[i] is LineKind.ListItem or LineKind.TableRow)
            {
                sentences++;
            }

            kept.Append(line).Append('\n');
        }

        if (sentences < rules.MinSentences)
        {
            return (text, "quality:c4_min_sentences");
        }

        return (CollapseBlankLines(kept.ToString()), null);
    }

    private StepOutcome? FineWeb(TextLines lines)
    {
        var rules = _config.Fineweb;
        // FineWeb's line rules judge prose: a line that is only an indicator (an address, a hash, a CVE id, as IOC
        // lists are written) is data, not a short or unpunctuated line of text.
        var textual = lines.Textual().Select(l => l.Trim()).Where(l => l.Length > 0 && !IsIndicatorLine(l)).ToArray();
        if (textual.Length == 0)
        {
            return null;
        }

        var punctuated = textual.Count(l => l[^1] is '.' or '!' or '?' or '"' or '\'' or ':' or ';' or ')' or '。');
        if ((double)punctuated / textual.Length < rules.MinLinesEndingInPunctuation)
        {
            return StepOutcome.Drop("quality:fineweb_line_punctuation");
        }

        var shortLines = textual.Count(l => l.Length <= rules.ShortLineChars);
        if (textual.Length >= 5 && (double)shortLines / textual.Length > rules.MaxShortLineFraction)
        {
            return StepOutcome.Drop("quality:fineweb_short_lines");
        }

        var (_, duplicateChars) = Duplicates(textual);
        var chars = textual.Sum(l => l.Length);
        if ((double)duplicateChars / Math.Max(1, chars) > rules.MaxDuplicateLineCharFraction)
        {
            return StepOutcome.Drop("quality:fineweb_duplicate_line_chars");
        }

        var words = textual.Sum(l => Words.Split(l).Length);
        if ((double)textual.Length / Math.Max(1, words) > rules.MaxNewlineCharRatio)
        {
            return StepOutcome.Drop("quality:fineweb_newline_ratio");
        }

        return null;
    }

    private static bool IsIndicatorLine(string line) => Words.Split(line).Length <= 4 && IndicatorPatterns.ContainsIndicator(line);

    private static (int Count, int Chars) Duplicates(IReadOnlyList<string> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        var chars = 0;
        foreach (var item in items)
        {
            if (!seen.Add(item))
            {
                count++;
                chars += item.Length;
            }
        }

        return (count, chars);
    }

    private static double TopNgramCharFraction(string[] words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= words.Length; i++)
        {
            var gram = string.Join(' ', words, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        if (counts.Count == 0)
        {
            return 0;
        }

        var top = counts.MaxBy(c => c.Value);
        if (top.Value < 2)
        {
            return 0;
        }

        var totalChars = words.Sum(w => w.Length);
        return (double)top.Key.Replace(" ", string.Empty, StringComparison.Ordinal).Length * top.Value / Math.Max(1, totalChars);
    }

    private static double DuplicateNgramCharFraction(string[] words, int n)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicated = new bool[words.Length];
        for (var i = 0; i + n <= words.Length; i++)
        {
            var gram = string.Join(' ', words, i, n);
            if (!seen.Add(gram))
            {
                for (var k = i; k < i + n; k++)
                {
                    duplicated[k] = true;
                }
            }
        }

        var totalChars = 0;
        var duplicateChars = 0;
        for (var i = 0; i < words.Length; i++)
        {
            totalChars += words[i].Length;
            if (duplicated[i])
            {
                duplicateChars += words[i].Length;
            }
        }

        return (double)duplicateChars / Math.Max(1, totalChars);
    }

    private static int CountSentences(string line)
    {
        var count = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is '.' or '!' or '?' or '。' && (i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])))
            {
                count++;
            }
        }

        return Math.Max(count, 1);
    }

    private static string CollapseBlankLines(string text)
    {
        var builder = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                if (++blank > 1)
                {
                    continue;
                }
            }
            else
            {
                blank = 0;
            }

            builder.Append(line).Append('\n');
        }

        return builder.ToString().Trim('\n');
    }
}
