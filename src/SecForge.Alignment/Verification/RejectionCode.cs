using System.Text.Json.Serialization;

namespace SecForge.Alignment.Verification;

/// <summary>Why a record was not aligned: each a code a report can count, with its detail beside it.</summary>
public enum RejectionCode
{
    /// <summary>The record could not be read as the layout asked for.</summary>
    [JsonStringEnumMemberName("unreadable")]
    Unreadable,

    /// <summary>The triage model gave no usable verdict.</summary>
    [JsonStringEnumMemberName("triage-failed")]
    TriageFailed,

    /// <summary>The rewriter's reply broke the rewrite contract.</summary>
    [JsonStringEnumMemberName("contract-violation")]
    ContractViolation,

    /// <summary>The rewriter model could not be called.</summary>
    [JsonStringEnumMemberName("rewriter-failed")]
    RewriterFailed,

    [JsonStringEnumMemberName("empty-rewrite")]
    EmptyRewrite,

    [JsonStringEnumMemberName("missing-safety-elements")]
    MissingSafetyElements,

    [JsonStringEnumMemberName("technical-content-lost")]
    TechnicalContentLost,

    [JsonStringEnumMemberName("new-harmful-content")]
    NewHarmfulContent,

    [JsonStringEnumMemberName("low-similarity")]
    LowSimilarity,

    [JsonStringEnumMemberName("not-a-refusal")]
    NotARefusal,

    [JsonStringEnumMemberName("no-safe-alternative")]
    NoSafeAlternative,

    [JsonStringEnumMemberName("harmful-content-kept")]
    HarmfulContentKept,
}
