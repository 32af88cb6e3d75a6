namespace SecForge.Alignment.Triage;

/// <summary>
/// Lower-case word tokens without regular expressions: runs of letters and digits, keeping inner apostrophes,
/// hyphens, dots and ampersands ("ex's", "ex-girlfriend", "att&amp;ck", "testssl.sh"). The hot path of triage and of
/// the lexical similarity.
/// </summary>
public static class TextTokens
{
    public static List<string> Words(string text, int maxChars = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = Math.Min(text.Length, maxChars);
        var words = new List<string>(Math.Min(end / 5, 1024));
        Span<char> buffer = stackalloc char[64];
        var i = 0;
        while (i < end)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < end && (char.IsLetterOrDigit(text[i]) || (IsJoiner(text[i]) && i + 1 < end && char.IsLetterOrDigit(text[i + 1]))))
            {
                i++;
            }

            var length = i - start;
            if (length <= buffer.Length)
            {
                var span = buffer[..length];
                text.AsSpan(start, length).ToLowerInvariant(span);
                words.Add(new string(span));
            }
            else
            {
                words.Add(text.Substring(start, length).ToLowerInvariant());
            }
        }

        return words;
    }

    private static bool IsJoiner(char c) => c is '\'' or '-' or '.' or '&' or '’';
}

/// <summary>
/// Phrases (token sequences) tagged with a group, found in one pass over a text's tokens: the lexicon's cue
/// phrases and category topics without a regular expression per group.
/// </summary>
public sealed class PhraseIndex
{
    private readonly Dictionary<string, List<(string[] Tokens, string Group, string Phrase)>> _byFirst = new(StringComparer.Ordinal);

    public void Add(string group, IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        foreach (var phrase in phrases)
        {
            var tokens = TextTokens.Words(phrase).ToArray();
            if (tokens.Length == 0)
            {
                continue;
            }

            if (!_byFirst.TryGetValue(tokens[0], out var list))
            {
                _byFirst[tokens[0]] = list = [];
            }

            list.Add((tokens, group, phrase.Trim().ToLowerInvariant()));
        }

        foreach (var list in _byFirst.Values)
        {
            list.Sort((a, b) => b.Tokens.Length.CompareTo(a.Tokens.Length));
        }
    }

    /// <summary>Calls <paramref name="found"/> with the group and phrase of each match (longest phrase first at a position).</summary>
    public void Scan(IReadOnlyList<string> words, Action<string, string> found)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(found);
        for (var i = 0; i < words.Count; i++)
        {
            if (!_byFirst.TryGetValue(words[i], out var candidates))
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tokens, group, phrase) in candidates)
            {
                if (i + tokens.Length > words.Count || seen.Contains(group))
                {
                    continue;
                }

                var match = true;
                for (var k = 1; k < tokens.Length && match; k++)
                {
                    match = words[i + k] == tokens[k];
                }

                if (match)
                {
                    seen.Add(group);
                    found(group, phrase);
                }
            }
        }
    }
}
