using SecForge.Core.Errors;
using SecForge.Core.Json;

namespace SecForge.Core.Taxonomy;

/// <summary>Names of the <see cref="CyberHarm"/> categories as files and reports write them, and their parsing.</summary>
public static class CyberHarms
{
    private static readonly Dictionary<string, CyberHarm> Aliases = new(StringComparer.Ordinal)
    {
        ["malware"] = CyberHarm.Malware,
        ["ransomware"] = CyberHarm.Malware,
        ["social-engineering"] = CyberHarm.SocialEngineering,
        ["social"] = CyberHarm.SocialEngineering,
        ["phishing"] = CyberHarm.SocialEngineering,
        ["dos"] = CyberHarm.Dos,
        ["ddos"] = CyberHarm.Dos,
        ["denial-of-service"] = CyberHarm.Dos,
        ["mitm"] = CyberHarm.Mitm,
        ["man-in-the-middle"] = CyberHarm.Mitm,
        ["zero-day"] = CyberHarm.ZeroDay,
        ["zeroday"] = CyberHarm.ZeroDay,
        ["zero-day-exploitation"] = CyberHarm.ZeroDay,
        ["exploit"] = CyberHarm.ZeroDay,
        ["exploitation"] = CyberHarm.ZeroDay,
        ["password-attacks"] = CyberHarm.PasswordAttacks,
        ["password"] = CyberHarm.PasswordAttacks,
        ["passwords"] = CyberHarm.PasswordAttacks,
        ["credential"] = CyberHarm.PasswordAttacks,
        ["credentials"] = CyberHarm.PasswordAttacks,
        ["iot"] = CyberHarm.Iot,
        ["injection"] = CyberHarm.Injection,
    };

    /// <summary>Every category, in the order reports list them.</summary>
    public static IReadOnlyList<CyberHarm> All { get; } = Enum.GetValues<CyberHarm>();

    /// <summary>The name files and reports use ("social-engineering").</summary>
    public static string Name(CyberHarm harm) => JsonEnumName.Of(harm);

    /// <summary>Every category's name.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(Name).ToList();

    /// <summary>
    /// Reads a selection as the command line and experiment files write it: "all", "none", or comma-separated names;
    /// an unknown name is an <see cref="InputException"/> naming <paramref name="field"/> (and <paramref name="path"/>).
    /// </summary>
    public static IReadOnlyList<CyberHarm> ParseList(string? text, string field, string? path = null)
    {
        var value = (text ?? string.Empty).Trim();
        if (value.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        if (value.Length == 0 || value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => TryParse(name, out var harm) ? harm : throw new InputException($"unknown harm category '{name}' ({string.Join(", ", Names)})", path, null, field))
            .Distinct()
            .ToList();
    }

    /// <summary>Reads a category name or a common alias ("password", "ddos", "phishing"), case and separators ignored.</summary>
    public static bool TryParse(string? text, out CyberHarm harm)
    {
        var key = (text ?? string.Empty).Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        return Aliases.TryGetValue(key, out harm);
    }
}
