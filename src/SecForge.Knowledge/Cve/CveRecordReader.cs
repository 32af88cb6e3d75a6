using System.Text.Json;
using System.Text.RegularExpressions;

namespace SecForge.Knowledge.Cve;

/// <summary>
/// Reads CVE JSON 5 records (schema 5.0 and 5.1, as in CVEProject/cvelistV5). A record without the parts every
/// record has (<c>cveMetadata.cveId</c>, <c>cveMetadata.state</c>, a <c>containers.cna</c> object for a published
/// record) is an error naming the field; the caller counts it and goes on.
/// </summary>
public static partial class CveRecordReader
{
    /// <summary>True when <paramref name="root"/> looks like a CVE JSON 5 record.</summary>
    public static bool IsCveRecord(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("dataType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "CVE_RECORD";

    /// <summary>Parses one record; <see cref="FormatException"/> names the missing or malformed field.</summary>
    public static CveRecord Parse(JsonElement root)
    {
        if (!IsCveRecord(root))
        {
            throw new FormatException("dataType: not CVE_RECORD");
        }

        var metadata = Object(root, "cveMetadata") ?? throw new FormatException("cveMetadata: missing");
        var id = Text(metadata, "cveId") ?? throw new FormatException("cveMetadata.cveId: missing");
        if (!CveId().IsMatch(id))
        {
            throw new FormatException($"cveMetadata.cveId: '{id}' is not a CVE id");
        }

        var state = Text(metadata, "state") ?? throw new FormatException("cveMetadata.state: missing");
        var containers = Object(root, "containers") ?? throw new FormatException("containers: missing");
        var cna = Object(containers, "cna") ?? throw new FormatException("containers.cna: missing");
        var adp = containers.TryGetProperty("adp", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var all = new List<JsonElement> { cna };
        all.AddRange(adp);

        var description = English(cna, state == "REJECTED" ? "rejectedReasons" : "descriptions") ?? English(cna, "descriptions") ?? string.Empty;
        var cwes = all.SelectMany(ProblemTypes).Distinct(StringComparer.Ordinal).ToList();
        var scores = all.SelectMany(Scores).ToList();
        var affected = Array(cna, "affected")
            .Select(a => new AffectedProduct(Text(a, "vendor") ?? "n/a", Text(a, "product") ?? Text(a, "packageName") ?? "n/a"))
            .Distinct().ToList();
        var references = all.SelectMany(c => Array(c, "references")).Select(r => Text(r, "url")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return new CveRecord(id, state, Text(cna, "title"), description, cwes, scores, affected, references, Text(metadata, "datePublished"), Text(metadata, "dateUpdated"), Text(root, "dataVersion") ?? "5");
    }

    private static IEnumerable<string> ProblemTypes(JsonElement container)
    {
        foreach (var problem in Array(container, "problemTypes"))
        {
            foreach (var description in Array(problem, "descriptions"))
            {
                var cwe = Text(description, "cweId") ?? (Text(description, "description") is { } text && CweInText().Match(text) is { Success: true } match ? match.Value : null);
                if (cwe is not null && CweInText().IsMatch(cwe))
                {
                    yield return cwe.ToUpperInvariant();
                }
            }
        }
    }

    private static IEnumerable<CvssScore> Scores(JsonElement container)
    {
        var provider = Object(container, "providerMetadata") is { } meta ? Text(meta, "shortName") ?? "unknown" : "unknown";
        foreach (var metric in Array(container, "metrics"))
        {
            foreach (var (key, version) in new[] { ("cvssV4_0", "4.0"), ("cvssV3_1", "3.1"), ("cvssV3_0", "3.0"), ("cvssV2_0", "2.0") })
            {
                if (Object(metric, key) is { } cvss)
                {
                    double? score = cvss.TryGetProperty("baseScore", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
                    yield return new CvssScore(version, Text(cvss, "vectorString"), score, Text(cvss, "baseSeverity"), provider);
                }
            }
        }
    }

    private static string? English(JsonElement element, string name)
    {
        var items = Array(element, name).ToList();
        return (items.FirstOrDefault(d => Text(d, "lang") is { } lang && lang.StartsWith("en", StringComparison.OrdinalIgnoreCase)) is { ValueKind: JsonValueKind.Object } english ? Text(english, "value") : null)
            ?? items.Select(d => Text(d, "value")).FirstOrDefault(v => v is not null);
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^CVE-\d{4}-\d{4,}$", RegexOptions.CultureInvariant)]
    private static partial Regex CveId();

    [GeneratedRegex(@"CWE-\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CweInText();
}
