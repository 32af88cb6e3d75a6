using System.Reflection;
using System.Text.RegularExpressions;
using SecForge.Core.Configuration;

namespace SecForge.Alignment.Triage;

/// <summary>
/// The project-written cue phrases of triage and verification (Resources/alignment-lexicon.yaml): intent to harm
/// a third party, a stated authorised or lab context, defensive requests and category topics (scanned in one pass
/// through <see cref="Cues"/>), operational attack markers, and the tool names counted as technical entities.
/// </summary>
public sealed class AlignmentLexicon
{
    private AlignmentLexicon(LexiconFile file)
    {
        Offensive = file.Offensive.Select(o => o.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        Tools = Compile(file.Tools);
        ToolNames = file.Tools.Select(t => t.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        Categories = [.. file.Categories.Keys];
        Cues = new PhraseIndex();
        Cues.Add("intent", file.Intent);
        Cues.Add("auth", file.Authorisation);
        Cues.Add("defence", file.Defence);
        foreach (var (category, words) in file.Categories)
        {
            Cues.Add("topic:" + category, words);
        }
    }

    /// <summary>Every cue phrase and topic word, tagged "intent", "auth", "defence" or "topic:CATEGORY", for one-pass scans.</summary>
    public PhraseIndex Cues { get; }

    /// <summary>The categories that have topic words, in file order.</summary>
    public IReadOnlyList<string> Categories { get; }

    public static AlignmentLexicon Default { get; } = Load();

    /// <summary>Markers of operational attack content (substring matches, lower case).</summary>
    public IReadOnlyList<string> Offensive { get; }

    /// <summary>Security tool names.</summary>
    public Regex Tools { get; }

    public IReadOnlySet<string> ToolNames { get; }

    /// <summary>The offensive markers found in <paramref name="text"/>.</summary>
    public List<string> OffensiveMarkers(string text)
    {
        var lower = text.ToLowerInvariant();
        return Offensive.Where(m => lower.Contains(m, StringComparison.Ordinal)).ToList();
    }

    private static Regex Compile(IEnumerable<string> phrases)
    {
        var alternatives = phrases.Select(p => p.Trim().ToLowerInvariant()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(p => p.Length).Select(p => Regex.Escape(p).Replace("\\ ", "\\s+", StringComparison.Ordinal));
        return new Regex(@"(?<![\w-])(?:" + string.Join('|', alternatives) + @")(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    private static AlignmentLexicon Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SecForge.Alignment.Resources.alignment-lexicon.yaml")
            ?? throw new InvalidOperationException("the alignment lexicon resource is missing");
        using var reader = new StreamReader(stream);
        return new AlignmentLexicon(YamlFile.Parse<LexiconFile>(reader.ReadToEnd(), "alignment-lexicon.yaml"));
    }

    internal sealed class LexiconFile
    {
        public List<string> Intent { get; set; } = [];

        public List<string> Authorisation { get; set; } = [];

        public List<string> Defence { get; set; } = [];

        public List<string> Offensive { get; set; } = [];

        public List<string> Tools { get; set; } = [];

        public Dictionary<string, List<string>> Categories { get; set; } = [];
    }
}
