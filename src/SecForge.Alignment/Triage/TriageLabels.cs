namespace SecForge.Alignment.Triage;

/// <summary>The triage classes and cyber-harm categories.</summary>
public static class TriageLabels
{
    public const string Benign = "benign";
    public const string DualUse = "dual-use";
    public const string Harmful = "harmful";

    /// <summary>Classes in severity order.</summary>
    public static IReadOnlyList<string> All { get; } = [Benign, DualUse, Harmful];

    /// <summary>The cyber-harm categories of CyberLLMInstruct, plus "none" for general security topics.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["malware", "social-engineering", "dos", "mitm", "zero-day", "password", "iot", "injection", "none"];

    public static int Severity(string label) => label switch
    {
        Harmful => 2,
        DualUse => 1,
        _ => 0,
    };

    public static string Normalise(string? label)
    {
        var value = (label ?? string.Empty).Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        return value switch
        {
            "benign" or "safe" => Benign,
            "dual-use" or "dualuse" or "dual" => DualUse,
            "harmful" or "malicious" => Harmful,
            _ => string.Empty,
        };
    }

    public static string NormaliseCategory(string? category)
    {
        var value = (category ?? string.Empty).Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        value = value switch
        {
            "social" or "phishing" => "social-engineering",
            "zeroday" or "zero-day-exploitation" or "exploit" or "exploitation" => "zero-day",
            "passwords" or "password-attacks" or "credential" => "password",
            "ddos" or "denial-of-service" => "dos",
            "man-in-the-middle" => "mitm",
            "" or "general" => "none",
            _ => value,
        };
        return Categories.Contains(value) ? value : string.Empty;
    }
}
