namespace SecForge.Knowledge.Cve;

/// <summary>A CVSS score as a container states it: version 2.0, 3.0, 3.1 or 4.0, its vector and base score.</summary>
public sealed record CvssScore(string Version, string? Vector, double? BaseScore, string? Severity, string Provider);

/// <summary>A product a CVE affects, as vendor and product names.</summary>
public sealed record AffectedProduct(string Vendor, string Product);

/// <summary>
/// One CVE JSON 5 record, merged over its CNA container and its ADP containers (CISA's vulnrichment adds CVSS,
/// CWE and KEV there): the English description, CWE ids, CVSS scores with who gave them, affected products and
/// reference URLs. A rejected record keeps its id and the rejection reason as its description.
/// </summary>
public sealed record CveRecord(
    string Id,
    string State,
    string? Title,
    string Description,
    IReadOnlyList<string> Cwes,
    IReadOnlyList<CvssScore> Scores,
    IReadOnlyList<AffectedProduct> Affected,
    IReadOnlyList<string> References,
    string? Published,
    string? Updated,
    string DataVersion)
{
    public bool Rejected => State == "REJECTED";
}
