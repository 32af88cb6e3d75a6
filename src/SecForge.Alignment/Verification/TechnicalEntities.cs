using System.Text.RegularExpressions;
using SecForge.Alignment.Triage;

namespace SecForge.Alignment.Verification;

/// <summary>
/// The technical content of a reply that a dual-use rewrite must keep: fenced code blocks (verbatim), inline code,
/// shell command lines, CVE/CWE/ATT&amp;CK ids and security tool names.
/// </summary>
public static partial class TechnicalEntities
{
    /// <summary>Entities of <paramref name="text"/>, each as (kind, text).</summary>
    public static List<(string Kind, string Text)> Extract(string text, AlignmentLexicon? lexicon = null)
    {
        lexicon ??= AlignmentLexicon.Default;
        var entities = new List<(string, string)>();
        var withoutBlocks = text;
        foreach (Match block in CodeBlock().Matches(text))
        {
            entities.Add(("code", block.Value.Trim()));
            withoutBlocks = withoutBlocks.Replace(block.Value, "\n", StringComparison.Ordinal);
        }

        foreach (Match inline in InlineCode().Matches(withoutBlocks))
        {
            entities.Add(("inline", inline.Value));
        }

        foreach (Match command in CommandLine().Matches(withoutBlocks))
        {
            entities.Add(("command", command.Value.Trim()));
        }

        foreach (Match id in Identifier().Matches(text))
        {
            entities.Add(("id", id.Value.ToUpperInvariant()));
        }

        foreach (Match tool in lexicon.Tools.Matches(text))
        {
            entities.Add(("tool", tool.Value.ToLowerInvariant()));
        }

        return entities.Distinct().ToList();
    }

    /// <summary>Whether <paramref name="entity"/> is present in <paramref name="text"/> (ids and tools ignoring case).</summary>
    public static bool IsKept((string Kind, string Text) entity, string text) => entity.Kind is "id" or "tool"
        ? text.Contains(entity.Text, StringComparison.OrdinalIgnoreCase)
        : text.Contains(entity.Text, StringComparison.Ordinal);

    /// <summary>Fenced code blocks of <paramref name="text"/>.</summary>
    public static IEnumerable<string> CodeBlocks(string text) => CodeBlock().Matches(text).Select(m => m.Value.Trim());

    [GeneratedRegex(@"```[^\n]*\n.*?```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"`[^`\n]{2,}`", RegexOptions.CultureInvariant)]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"(?m)^\s*\$ .+$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"\b(?:CVE-\d{4}-\d{4,7}|CWE-\d{1,4}|T\d{4}(?:\.\d{3})?|MS\d{2}-\d{3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
