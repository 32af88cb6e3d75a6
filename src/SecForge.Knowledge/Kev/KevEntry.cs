using System.Text.Json;

namespace SecForge.Knowledge.Kev;

/// <summary>One entry of CISA's Known Exploited Vulnerabilities catalog.</summary>
public sealed record KevEntry(string CveId, string Vendor, string Product, string Name, string Description, string DateAdded, string? DueDate, string RequiredAction, string RansomwareUse, IReadOnlyList<string> Cwes);

/// <summary>Reads the KEV catalog JSON (<c>catalogVersion</c>, <c>vulnerabilities[]</c>); an entry without a CVE id is a counted failure.</summary>
public static class KevCatalogReader
{
    /// <summary>True when <paramref name="root"/> looks like the KEV catalog.</summary>
    public static bool IsKevCatalog(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("vulnerabilities", out var list) && list.ValueKind == JsonValueKind.Array && root.TryGetProperty("catalogVersion", out _);

    /// <summary>The catalog's version and its entries; <paramref name="failures"/> gets one line per unusable entry.</summary>
    public static (string Version, List<KevEntry> Entries) Parse(JsonElement root, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var version = root.TryGetProperty("catalogVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "unknown";
        var entries = new List<KevEntry>();
        var index = 0;
        foreach (var item in root.GetProperty("vulnerabilities").EnumerateArray())
        {
            var at = index++;
            string? Text(string name) => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Text("cveID") is not { Length: > 0 } cve)
            {
                failures.Add($"vulnerabilities[{at}]: no cveID");
                continue;
            }

            var cwes = item.TryGetProperty("cwes", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToList()
                : [];
            entries.Add(new KevEntry(cve, Text("vendorProject") ?? string.Empty, Text("product") ?? string.Empty, Text("vulnerabilityName") ?? cve, Text("shortDescription") ?? string.Empty, Text("dateAdded") ?? string.Empty, Text("dueDate"), Text("requiredAction") ?? string.Empty, Text("knownRansomwareCampaignUse") ?? "Unknown", cwes));
        }

        return (version, entries);
    }
}
