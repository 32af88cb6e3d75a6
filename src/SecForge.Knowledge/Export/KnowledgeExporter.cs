using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SecForge.Knowledge.Store;

namespace SecForge.Knowledge.Export;

/// <summary>
/// Renders every entity of a knowledge base as a Markdown document — id and name, type and source, description,
/// relations in words, reference — in the JSON Lines form <c>corpus run</c> reads (<c>{"id", "url", "text"}</c>;
/// gzipped when the output ends in <c>.gz</c>, Zstandard when it ends in <c>.zst</c>). Written under a temporary name and renamed when complete.
/// </summary>
public static class KnowledgeExporter
{
    private static readonly Dictionary<string, string> Inbound = new(StringComparer.Ordinal)
    {
        ["uses"] = "used by",
        ["mitigates"] = "mitigated by",
        ["subtechnique-of"] = "has sub-technique",
        ["detects"] = "detected by",
        ["attributed-to"] = "has attributed",
        ["weakness"] = "weakness of",
        ["listed-in-kev"] = "KEV entry of",
        ["related-weakness"] = "weakness related to attack pattern",
        ["related-attack-pattern"] = "attack pattern related to",
        ["related-technique"] = "technique related to attack pattern",
    };

    /// <summary>Writes the documents; returns how many.</summary>
    public static long Export(KnowledgeBase kb, string output, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kb);
        ArgumentNullException.ThrowIfNull(output);
        var temporary = output + ".partial";
        long count = 0;
        using (var file = File.Create(temporary))
        using (var stream = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Optimal)
            : output.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? new ZstdSharp.CompressionStream(file, 3) : (Stream)file)
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            foreach (var entity in kb.All())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (type is not null && entity.Type != type)
                {
                    continue;
                }

                var line = JsonSerializer.Serialize(new { id = entity.Id, url = entity.Url, type = entity.Type, source = entity.Source, text = Render(entity, kb.Related(entity.Id)) });
                writer.Write(line);
                writer.Write('\n');
                count++;
            }
        }

        File.Move(temporary, output, overwrite: true);
        return count;
    }

    /// <summary>The Markdown document of one entity.</summary>
    public static string Render(KnowledgeEntity entity, IReadOnlyList<RelatedEntity> related)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(related);
        var text = new StringBuilder();
        text.Append("# ").Append(entity.Id).Append(": ").Append(entity.Name).Append("\n\n");
        text.Append("Type: ").Append(entity.Type).Append(". Source: ").Append(entity.Source);
        if (entity.Version.Length > 0)
        {
            text.Append(" (").Append(entity.Version).Append(')');
        }

        text.Append(".\n");
        if (entity.RevokedBy is { } replacement)
        {
            text.Append("Revoked: replaced by ").Append(replacement).Append(".\n");
        }

        if (entity.Description.Length > 0)
        {
            text.Append('\n').Append(entity.Description.Trim()).Append('\n');
        }

        if (related.Count > 0)
        {
            text.Append("\n## Relations\n\n");
            foreach (var r in related)
            {
                var verb = r.Direction == "out" ? r.Relation : Inbound.GetValueOrDefault(r.Relation, r.Relation + " (from)");
                text.Append("- ").Append(verb).Append(' ').Append(r.Id);
                if (r.Name is { Length: > 0 } name)
                {
                    text.Append(" (").Append(name).Append(')');
                }

                text.Append('\n');
            }
        }

        if (entity.Url is { } url)
        {
            text.Append("\n## Reference\n\n").Append(url).Append('\n');
        }

        return text.ToString();
    }
}
