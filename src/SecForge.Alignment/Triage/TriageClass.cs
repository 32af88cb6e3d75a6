using System.Text.Json.Serialization;

namespace SecForge.Alignment.Triage;

/// <summary>What an instruction–response pair is, in severity order.</summary>
public enum TriageClass
{
    /// <summary>Defensive, educational or general: no offensive capability.</summary>
    [JsonStringEnumMemberName("benign")]
    Benign,

    /// <summary>An offensive technique or tool with legitimate testing, research or teaching use.</summary>
    [JsonStringEnumMemberName("dual-use")]
    DualUse,

    /// <summary>Clear intent to harm, defraud, spy on or disrupt a third party who has not consented.</summary>
    [JsonStringEnumMemberName("harmful")]
    Harmful,
}
