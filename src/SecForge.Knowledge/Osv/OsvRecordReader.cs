using System.Text.Json;

namespace SecForge.Knowledge.Osv;

/// <summary>A package an advisory affects.</summary>
public sealed record OsvPackage(string Ecosystem, string Name);

/// <summary>One OSV record (osv.dev schema; GitHub advisories, PyPI, Go, npm, ...).</summary>
public sealed record OsvRecord(string Id, IReadOnlyList<string> Aliases, string Summary, string Details, IReadOnlyList<string> Cwes, IReadOnlyList<string> Severity, IReadOnlyList<OsvPackage> Packages, string? Published, string? Modified, bool Withdrawn);

/// <summary>Reads OSV JSON records; a record without <c>id</c> or <c>modified</c> is an error naming the field.</summary>
public static class OsvRecordReader
{
    /// <summary>True when <paramref name="root"/> looks like an OSV record.</summary>
    public static bool IsOsvRecord(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out _) && root.TryGetProperty("modified", out _)
        && (root.TryGetProperty("affected", out _) || root.TryGetProperty("aliases", out _) || root.TryGetProperty("schema_version", out _));

    public static OsvRecord Parse(JsonElement root)
    {
        var id = Text(root, "id") ?? throw new FormatException("id: missing");
        var modified = Text(root, "modified") ?? throw new FormatException("modified: missing");
        var cwes = new List<string>();
        if (root.TryGetProperty("database_specific", out var specific) && specific.ValueKind == JsonValueKind.Object)
        {
            cwes.AddRange(Strings(specific, "cwe_ids"));
        }

        var severity = Array(root, "severity").Select(s => Text(s, "score")).OfType<string>().ToList();
        var packages = Array(root, "affected")
            .Select(a => a.TryGetProperty("package", out var p) && p.ValueKind == JsonValueKind.Object ? new OsvPackage(Text(p, "ecosystem") ?? "?", Text(p, "name") ?? "?") : null)
            .OfType<OsvPackage>().Distinct().ToList();
        return new OsvRecord(id, Strings(root, "aliases"), Text(root, "summary") ?? string.Empty, Text(root, "details") ?? string.Empty, cwes, severity, packages, Text(root, "published"), modified, Text(root, "withdrawn") is not null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object) : [];
}
