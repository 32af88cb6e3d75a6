using System.Text.Json.Serialization;

namespace SecForge.Core.Taxonomy;

/// <summary>
/// The cyber-harm categories that fine-tuning on pseudo-malicious security data erodes (the categories of
/// CyberLLMInstruct): one vocabulary for the red team's harm plugins and the alignment's triage.
/// </summary>
public enum CyberHarm
{
    [JsonStringEnumMemberName("malware")]
    Malware,

    [JsonStringEnumMemberName("social-engineering")]
    SocialEngineering,

    [JsonStringEnumMemberName("dos")]
    Dos,

    [JsonStringEnumMemberName("mitm")]
    Mitm,

    [JsonStringEnumMemberName("zero-day")]
    ZeroDay,

    [JsonStringEnumMemberName("password-attacks")]
    PasswordAttacks,

    [JsonStringEnumMemberName("iot")]
    Iot,

    [JsonStringEnumMemberName("injection")]
    Injection,
}
