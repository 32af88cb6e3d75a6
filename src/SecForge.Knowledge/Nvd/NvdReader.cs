using System.Text.Json;
using SecForge.Knowledge.Cve;

namespace SecForge.Knowledge.Nvd;

/// <summary>
/// Reads NVD API 2.0 CVE responses and the yearly JSON 2.0 feeds (<c>{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": ...}]}</c>,
/// as the API pages them or as saved files) into <see cref="CveRecord"/>s: English description, CVSS 2.0, 3.0, 3.1 and
/// 4.0 metrics with their source, CWE ids from <c>weaknesses</c>, references. An entry without <c>cve.id</c> is a
/// counted failure.
/// </summary>
public static class NvdReader
{
    /// <summary>Streams the records of an NVD response or yearly feed (<c>nvdcve-2.0-YYYY.json</c>), one entry of <c>vulnerabilities</c> at a time.</summary>
    public static IEnumerable<CveRecord> Read(Stream stream, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var read in Stix.StixBundleReader.ReadArray(stream, "vulnerabilities", "NVD CVE response"))
        {
            if (read.Object is not { } item)
            {
                failures.Add(read.Error!);
                continue;
            }

            if (Parse(item, read.Index, failures) is { } record)
            {
                yield return record;
            }
        }
    }

    private static CveRecord? Parse(JsonElement item, long at, List<string> failures)
    {
        if (!item.TryGetProperty("cve", out var cve) || cve.ValueKind != JsonValueKind.Object || Text(cve, "id") is not { } id)
        {
            failures.Add($"vulnerabilities[{at}]: no cve.id");
            return null;
        }

        var descriptions = Array(cve, "descriptions").ToList();
        var description = descriptions.Where(d => Text(d, "lang") == "en").Select(d => Text(d, "value")).FirstOrDefault(v => v is not null)
            ?? descriptions.Select(d => Text(d, "value")).FirstOrDefault(v => v is not null) ?? string.Empty;
        var cwes = Array(cve, "weaknesses").SelectMany(w => Array(w, "description")).Select(d => Text(d, "value"))
            .OfType<string>().Where(v => v.StartsWith("CWE-", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToList();
        var scores = new List<CvssScore>();
        if (cve.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
        {
            foreach (var (key, cvssVersion) in new[] { ("cvssMetricV40", "4.0"), ("cvssMetricV31", "3.1"), ("cvssMetricV30", "3.0"), ("cvssMetricV2", "2.0") })
            {
                foreach (var metric in Array(metrics, key))
                {
                    if (metric.TryGetProperty("cvssData", out var data) && data.ValueKind == JsonValueKind.Object)
                    {
                        double? score = data.TryGetProperty("baseScore", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
                        var severity = Text(data, "baseSeverity") ?? Text(metric, "baseSeverity");
                        scores.Add(new CvssScore(cvssVersion, Text(data, "vectorString"), score, severity, $"{Text(metric, "source") ?? "nvd"} ({Text(metric, "type") ?? "?"})"));
                    }
                }
            }
        }

        var references = Array(cve, "references").Select(r => Text(r, "url")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var status = Text(cve, "vulnStatus") ?? string.Empty;
        return new CveRecord(id, status == "Rejected" ? "REJECTED" : "PUBLISHED", null, description, cwes, scores, [], references, Text(cve, "published"), Text(cve, "lastModified"), "nvd-2.0");
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object) : [];
}
