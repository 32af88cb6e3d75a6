using System.Text.Json.Serialization;

namespace SecForge.Alignment.Running;

/// <summary>What happened to a record.</summary>
public enum AlignAction
{
    /// <summary>Benign: written as it was.</summary>
    [JsonStringEnumMemberName("kept")]
    Kept,

    /// <summary>Dual-use: the reply gained safety precautions and kept its technical content.</summary>
    [JsonStringEnumMemberName("rewritten")]
    Rewritten,

    /// <summary>Harmful: the reply became a refusal with a safe alternative.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>A rewrite failed verification or triage failed: the record is left out, with its reasons.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>The record could not be read.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
