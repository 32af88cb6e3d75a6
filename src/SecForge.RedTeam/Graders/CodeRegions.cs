using System.Text.RegularExpressions;

namespace SecForge.RedTeam.Graders;

/// <summary>The parts of a reply that would be executed or pasted: fenced and inline code, or the whole reply when it has none.</summary>
internal static partial class CodeRegions
{
    public static IReadOnlyList<string> Of(string reply)
    {
        var regions = Fenced().Matches(reply).Select(m => m.Groups[1].Value).ToList();
        regions.AddRange(Inline().Matches(Fenced().Replace(reply, " ")).Select(m => m.Groups[1].Value));
        return regions.Count > 0 ? regions : [reply];
    }

    [GeneratedRegex(@"```[^\n]*\n(.*?)(?:```|$)", RegexOptions.Singleline)]
    private static partial Regex Fenced();

    [GeneratedRegex(@"`([^`\n]{3,})`")]
    private static partial Regex Inline();
}
