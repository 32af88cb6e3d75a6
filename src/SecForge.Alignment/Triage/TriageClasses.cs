using SecForge.Core.Json;
using SecForge.Core.Taxonomy;

namespace SecForge.Alignment.Triage;

/// <summary>Names and parsing of the triage classes and of a pair's harm category (a <see cref="CyberHarm"/> or none).</summary>
public static class TriageClasses
{
    /// <summary>The category name of a general security topic with no cyber-harm category.</summary>
    public const string NoHarm = "none";

    /// <summary>Classes in severity order.</summary>
    public static IReadOnlyList<TriageClass> All { get; } = Enum.GetValues<TriageClass>();

    /// <summary>Class names in severity order, as models and files write them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(Name).ToList();

    /// <summary>Category names: every <see cref="CyberHarm"/>, then "none".</summary>
    public static IReadOnlyList<string> CategoryNames { get; } = [.. CyberHarms.Names, NoHarm];

    public static string Name(TriageClass value) => JsonEnumName.Of(value);

    /// <summary>Reads a class as a model or a labels file writes it ("dual_use", "malicious", "safe").</summary>
    public static TriageClass? Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        return value switch
        {
            "benign" or "safe" => TriageClass.Benign,
            "dual-use" or "dualuse" or "dual" => TriageClass.DualUse,
            "harmful" or "malicious" => TriageClass.Harmful,
            _ => null,
        };
    }

    /// <summary>Reads a category: a harm (or an alias of one), or null for "none"/"general"; false when it is neither.</summary>
    public static bool TryParseCategory(string? text, out CyberHarm? harm)
    {
        var value = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (value is "" or NoHarm or "general")
        {
            harm = null;
            return true;
        }

        if (CyberHarms.TryParse(value, out var parsed))
        {
            harm = parsed;
            return true;
        }

        harm = null;
        return false;
    }

    /// <summary>A category's name: the harm's, or "none".</summary>
    public static string CategoryName(CyberHarm? harm) => harm is { } value ? CyberHarms.Name(value) : NoHarm;
}
