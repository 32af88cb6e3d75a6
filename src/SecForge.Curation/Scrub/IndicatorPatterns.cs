using System.Text.RegularExpressions;

namespace SecForge.Curation.Scrub;

/// <summary>
/// Indicators of compromise: the domain's vocabulary, kept by scrubbing and respected by quality rules.
/// </summary>
public static partial class IndicatorPatterns
{
    /// <summary>True when <paramref name="text"/> holds an IP address, hash, CVE/CWE id, URL or domain name.</summary>
    public static bool ContainsIndicator(string text) => Any().IsMatch(text);

    /// <summary>Every indicator in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> Find(string text) => Any().Matches(text).Select(m => m.Value);

    [GeneratedRegex(
        @"\b(?:CVE-\d{4}-\d{4,7}|CWE-\d{1,4}|T\d{4}(?:\.\d{3})?)\b|\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-fA-F]{32}\b|\b[0-9a-fA-F]{40}\b|\b[0-9a-fA-F]{64}\b|\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|https?://[^\s)\]>""']+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|ru|cn|info|biz|xyz|top|co|uk|de|onion)\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Any();
}
