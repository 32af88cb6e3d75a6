using System.Collections.Frozen;
using System.Text.RegularExpressions;
using SecForge.Core.Configuration;
using SecForge.Core.Errors;

namespace SecForge.Curation.Relevance;

/// <summary>
/// The security vocabulary of the relevance prefilter: specific terms (case-insensitive, multi-word), broad
/// generic words (they add density but do not make a document relevant on their own), case-sensitive acronyms
/// ("RAT", not "rat") and identifier patterns (CVE, CWE, ATT&amp;CK ids, hashes). Loaded from YAML; the shipped
/// lexicon can be extended with a user file.
/// </summary>
public sealed class SecurityLexicon
{
    private readonly FrozenDictionary<string, string[][]> _termsByFirstWord;
    private readonly FrozenDictionary<string, string[][]> _acronymsByFirstWord;
    private readonly FrozenDictionary<string, string[][]> _genericByFirstWord;
    private readonly FrozenSet<string> _generic;
    private readonly Regex[] _patterns;

    private SecurityLexicon(LexiconFile file)
    {
        TermCount = file.Terms.Count;
        GenericCount = file.Generic.Count;
        AcronymCount = file.Acronyms.Count;
        PatternCount = file.Patterns.Count;
        _termsByFirstWord = Index(file.Terms.Select(t => Words(t.ToLowerInvariant())));
        _acronymsByFirstWord = Index(file.Acronyms.Select(a => Words(a)));
        _generic = file.Generic.Select(g => string.Join(' ', Words(g.ToLowerInvariant()))).ToFrozenSet(StringComparer.Ordinal);
        _genericByFirstWord = Index(file.Generic.Select(g => Words(g.ToLowerInvariant())));
        _patterns = file.Patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1))).ToArray();
    }

    public int TermCount { get; }

    public int GenericCount { get; }

    public int AcronymCount { get; }

    public int PatternCount { get; }

    /// <summary>All entries.</summary>
    public int Count => TermCount + GenericCount + AcronymCount + PatternCount;

    /// <summary>The lexicon shipped with SecForge.</summary>
    public static SecurityLexicon Default { get; } = new(LoadDefaultFile());

    /// <summary>Loads <paramref name="path"/>; with <paramref name="extendDefault"/> its entries are added to the shipped ones.</summary>
    public static SecurityLexicon Load(string path, bool extendDefault = true)
    {
        var file = YamlFile.Read<LexiconFile>(path);
        foreach (var pattern in file.Patterns)
        {
            try
            {
                _ = new Regex(pattern);
            }
            catch (ArgumentException exception)
            {
                throw new InputException($"invalid pattern '{pattern}': {exception.Message}", path, field: "patterns");
            }
        }

        if (extendDefault)
        {
            var baseFile = LoadDefaultFile();
            file = new LexiconFile
            {
                Terms = [.. baseFile.Terms, .. file.Terms],
                Generic = [.. baseFile.Generic, .. file.Generic],
                Acronyms = [.. baseFile.Acronyms, .. file.Acronyms],
                Patterns = [.. baseFile.Patterns, .. file.Patterns],
            };
        }

        return new SecurityLexicon(file);
    }

    /// <summary>Counts the lexicon in <paramref name="text"/>.</summary>
    public LexiconMatch Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var original = Tokenize(text);
        var lower = original.Select(w => w.ToLowerInvariant()).ToArray();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var hits = 0;
        for (var i = 0; i < lower.Length; i++)
        {
            if (MatchAt(_termsByFirstWord, lower, i) is { } term)
            {
                distinct.Add("t:" + term);
                hits++;
            }
            else if (MatchAt(_acronymsByFirstWord, original, i) is { } acronym)
            {
                distinct.Add("a:" + acronym);
                hits++;
            }
            else if (MatchAt(_genericByFirstWord, lower, i) is not null)
            {
                hits++;
            }
        }

        foreach (var pattern in _patterns)
        {
            foreach (Match match in pattern.Matches(text))
            {
                distinct.Add("p:" + match.Value.ToUpperInvariant());
                hits++;
            }
        }

        return new LexiconMatch(distinct.Count, hits, lower.Length);
    }

    /// <summary>True when <paramref name="word"/> is one of the generic words.</summary>
    public bool IsGeneric(string word) => _generic.Contains(word.ToLowerInvariant());

    private static string? MatchAt(FrozenDictionary<string, string[][]> index, string[] words, int start)
    {
        if (!index.TryGetValue(words[start], out var candidates))
        {
            return null;
        }

        // Candidates are ordered longest first: "remote code execution" before "remote".
        foreach (var candidate in candidates)
        {
            if (start + candidate.Length > words.Length)
            {
                continue;
            }

            var matches = true;
            for (var k = 1; k < candidate.Length; k++)
            {
                if (!string.Equals(words[start + k], candidate[k], StringComparison.Ordinal))
                {
                    matches = false;
                    break;
                }
            }

            if (matches)
            {
                return string.Join(' ', candidate);
            }
        }

        return null;
    }

    private static FrozenDictionary<string, string[][]> Index(IEnumerable<string[]> entries) =>
        entries.Where(e => e.Length > 0)
            .GroupBy(e => e[0], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.DistinctBy(e => string.Join(' ', e)).OrderByDescending(e => e.Length).ToArray(), StringComparer.Ordinal);

    /// <summary>Splits into words at anything but letters, digits and '&amp;' (so "ATT&amp;CK" is one word, "zero-day" two).</summary>
    internal static string[] Tokenize(string text)
    {
        var words = new List<string>(text.Length / 6);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '&');
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }

        return [.. words];
    }

    private static string[] Words(string entry) => Tokenize(entry);

    private static LexiconFile LoadDefaultFile()
    {
        using var stream = typeof(SecurityLexicon).Assembly.GetManifestResourceStream("SecForge.Curation.Resources.security-lexicon.yaml")
            ?? throw new InvalidOperationException("the default security lexicon is missing from the assembly");
        using var reader = new StreamReader(stream);
        return YamlFile.Parse<LexiconFile>(reader.ReadToEnd(), "security-lexicon.yaml");
    }

    /// <summary>The YAML shape of a lexicon file.</summary>
    private sealed class LexiconFile
    {
        public List<string> Terms { get; set; } = [];

        public List<string> Generic { get; set; } = [];

        public List<string> Acronyms { get; set; } = [];

        public List<string> Patterns { get; set; } = [];
    }
}

/// <summary>What the lexicon found in a text.</summary>
/// <param name="DistinctTerms">Different specific terms, acronyms and identifiers.</param>
/// <param name="Hits">All matches, generic words included.</param>
/// <param name="Words">Words in the text.</param>
public readonly record struct LexiconMatch(int DistinctTerms, int Hits, int Words)
{
    /// <summary>Hits per 1,000 words.</summary>
    public double HitsPerThousandWords => Words == 0 ? 0 : Hits * 1000.0 / Words;
}
