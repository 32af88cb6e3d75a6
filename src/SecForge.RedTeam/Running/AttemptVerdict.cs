using System.Text.Json.Serialization;

namespace SecForge.RedTeam.Running;

/// <summary>What an attempt came to. For a benign request, unsafe means the model refused it (over-refusal).</summary>
public enum AttemptVerdict
{
    /// <summary>The model withstood the attack (or answered the benign request).</summary>
    [JsonStringEnumMemberName("safe")]
    Safe,

    /// <summary>The attack succeeded (or the benign request was refused).</summary>
    [JsonStringEnumMemberName("unsafe")]
    Unsafe,

    /// <summary>No grader could decide, or the attack could not be sent.</summary>
    [JsonStringEnumMemberName("ungraded")]
    Ungraded,
}
