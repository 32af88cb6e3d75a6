using SecForge.Core.Json;

namespace SecForge.Alignment.Verification;

/// <summary>One reason a rewrite or record was rejected: a code to count and a detail to read.</summary>
public sealed record Rejection(RejectionCode Code, string Detail)
{
    /// <summary>The code's name as files write it ("technical-content-lost").</summary>
    public string CodeName => JsonEnumName.Of(Code);

    public override string ToString() => $"{CodeName}: {Detail}";
}
