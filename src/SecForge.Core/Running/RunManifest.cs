using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Hashing;

namespace SecForge.Core.Running;

/// <summary>
/// What a run is: its kind, the settings that decide its results, its seed and the SecForge version that started
/// it. Written once as <c>run.json</c>; a rerun into the same directory resumes only when its settings
/// fingerprint is the same, so work done under other settings is never mixed in.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The manifest's file name inside the run directory.</summary>
    public const string FileName = "run.json";

    /// <summary>The kind of run: eval, redteam, align, corpus, experiment, crawl.</summary>
    public required string Kind { get; init; }

    /// <summary>Every setting that changes what the run produces (model, tasks, protocol, input, thresholds).</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>The seed of every random choice, when the run makes any.</summary>
    public int? Seed { get; init; }

    /// <summary>The SecForge version that started the run.</summary>
    public string Version { get; init; } = CurrentVersion;

    /// <summary>When the run was first started.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A short hash of the kind, the seed and the settings (keys in canonical order).</summary>
    public string Fingerprint => ContentHash.Sha256Hex($"{Kind}\n{Seed}\n{Canonical(Settings)}")[..16];

    /// <summary>SecForge's version as the assemblies carry it.</summary>
    public static string CurrentVersion => typeof(RunManifest).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>The settings whose values differ between <paramref name="other"/> and this manifest, as "name: old → new" lines.</summary>
    public IReadOnlyList<string> DifferencesFrom(RunManifest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var lines = new List<string>();
        if (other.Seed != Seed)
        {
            lines.Add($"seed: {other.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} → {Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        foreach (var key in other.Settings.Select(p => p.Key).Union(Settings.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var before = other.Settings.TryGetPropertyValue(key, out var a) ? Canonical(a) : "(none)";
            var after = Settings.TryGetPropertyValue(key, out var b) ? Canonical(b) : "(none)";
            if (before != after)
            {
                lines.Add($"{key}: {Shorten(before)} → {Shorten(after)}");
            }
        }

        return lines;
    }

    /// <summary>Writes the manifest as indented JSON.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["kind"] = Kind,
            ["fingerprint"] = Fingerprint,
            ["seed"] = Seed,
            ["version"] = Version,
            ["created"] = Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["settings"] = Settings.DeepClone(),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Reads a manifest written by <see cref="ToJson"/>; null when the text is not one.</summary>
    public static RunManifest? Parse(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root || root["kind"]?.GetValue<string>() is not { } kind || root["settings"] is not JsonObject settings)
            {
                return null;
            }

            return new RunManifest
            {
                Kind = kind,
                Settings = (JsonObject)settings.DeepClone(),
                Seed = root["seed"]?.GetValue<int>(),
                Version = root["version"]?.GetValue<string>() ?? "0",
                Created = root["created"]?.GetValue<string>() is { } created && DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var when) ? when : DateTimeOffset.MinValue,
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>JSON with object keys sorted, so equal settings always hash the same.</summary>
    public static string Canonical(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject value:
                builder.Append('{');
                var first = true;
                foreach (var (key, child) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(child, builder);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "…";
}
