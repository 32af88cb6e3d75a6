using System.Globalization;

namespace SecForge.Knowledge.Crawl;

/// <summary>
/// The rules of a robots.txt for one user agent (RFC 9309): the group naming the agent's product token, else the
/// <c>*</c> group; the longest matching Allow or Disallow path wins (Allow on a tie); <c>*</c> and <c>$</c> in paths;
/// Crawl-delay where given.
/// </summary>
public sealed class RobotsRules
{
    private readonly List<(bool Allow, string Pattern)> _rules;

    private RobotsRules(List<(bool, string)> rules, TimeSpan? crawlDelay)
    {
        _rules = rules;
        CrawlDelay = crawlDelay;
    }

    /// <summary>Everything allowed (no robots.txt, or a 4xx answer).</summary>
    public static RobotsRules AllowAll { get; } = new([], null);

    /// <summary>Everything disallowed (robots.txt could not be fetched: a 5xx answer or no answer).</summary>
    public static RobotsRules DisallowAll { get; } = new([(false, "/")], null);

    public TimeSpan? CrawlDelay { get; }

    /// <summary>Parses <paramref name="text"/> for <paramref name="productToken"/> (e.g. "SecForge").</summary>
    public static RobotsRules Parse(string text, string productToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules, TimeSpan? Delay)>();
        (List<string> Agents, List<(bool, string)> Rules, TimeSpan? Delay)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', 2)[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (field == "user-agent")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], [], null);
                    groups.Add(current.Value);
                }

                current.Value.Agents.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }

            lastWasAgent = false;
            if (current is null)
            {
                continue;
            }

            var index = groups.Count - 1;
            switch (field)
            {
                case "allow" when value.Length > 0:
                    groups[index].Rules.Add((true, value));
                    break;
                case "disallow" when value.Length > 0:
                    groups[index].Rules.Add((false, value));
                    break;
                case "crawl-delay" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    groups[index] = (groups[index].Agents, groups[index].Rules, TimeSpan.FromSeconds(Math.Min(seconds, 60)));
                    current = groups[index];
                    break;
            }
        }

        var token = productToken.ToLowerInvariant();
        var matching = groups.Where(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))).ToList();
        if (matching.Count == 0)
        {
            matching = groups.Where(g => g.Agents.Contains("*")).ToList();
        }

        return new RobotsRules(matching.SelectMany(g => g.Rules).ToList(), matching.Select(g => g.Delay).FirstOrDefault(d => d is not null));
    }

    /// <summary>Whether the path and query of <paramref name="uri"/> may be fetched.</summary>
    public bool Allows(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = uri.PathAndQuery;
        var best = -1;
        var allowed = true;
        foreach (var (allow, pattern) in _rules)
        {
            if (Matches(pattern, path) && (pattern.Length > best || (pattern.Length == best && allow)))
            {
                best = pattern.Length;
                allowed = allow;
            }
        }

        return allowed;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var body = anchored ? pattern[..^1] : pattern;
        var parts = body.Split('*');
        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = Uri.UnescapeDataString(parts[i]);
            if (i == 0)
            {
                if (!Uri.UnescapeDataString(path).StartsWith(part, StringComparison.Ordinal))
                {
                    return false;
                }

                position = part.Length;
                continue;
            }

            var found = Uri.UnescapeDataString(path).IndexOf(part, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + part.Length;
        }

        return !anchored || position == Uri.UnescapeDataString(path).Length || (parts.Length > 1 && parts[^1].Length == 0);
    }
}
