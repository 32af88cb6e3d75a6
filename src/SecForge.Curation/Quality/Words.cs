namespace SecForge.Curation.Quality;

/// <summary>Word splitting for the quality rules (whitespace-separated tokens, as Gopher counts them).</summary>
internal static class Words
{
    public static readonly HashSet<string> EnglishStopWords = new(StringComparer.OrdinalIgnoreCase) { "the", "be", "to", "of", "and", "that", "have", "with" };

    public static string[] Split(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static bool HasLetter(string word)
    {
        foreach (var c in word)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }
}
