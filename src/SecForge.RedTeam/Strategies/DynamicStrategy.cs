using System.Text.Json.Serialization;

namespace SecForge.RedTeam.Strategies;

/// <summary>A strategy whose turns an attacker model writes during the run.</summary>
public enum DynamicStrategy
{
    /// <summary>Multi-turn escalation from harmless questions to the goal.</summary>
    [JsonStringEnumMemberName("crescendo")]
    Crescendo,

    /// <summary>Attacker–judge refinement of a single prompt (PAIR).</summary>
    [JsonStringEnumMemberName("pair")]
    Pair,
}
