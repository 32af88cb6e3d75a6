using SecForge.Core.Errors;
using SecForge.Curation.Sources;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// Turns the configured inputs into numbered shards, always in the same order (sorted paths): one shard per
/// WARC, JSONL or Parquet file, and loose files in groups of <see cref="CorpusConfig.FilesPerShard"/>.
/// </summary>
public static class ShardPlanner
{
    /// <summary>The shards of <paramref name="config"/>.</summary>
    public static IReadOnlyList<InputShard> Plan(CorpusConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var shards = new List<InputShard>();
        for (var i = 0; i < config.Inputs.Count; i++)
        {
            var input = config.Inputs[i];
            var path = config.Resolve(input.Path!);
            var options = new SourceOptions
            {
                MaxRecordBytes = (long)(config.MaxRecordMb * 1024 * 1024),
                TextField = input.TextField,
                IdField = input.IdField,
                UrlField = input.UrlField,
                Content = input.Content.Equals("html", StringComparison.OrdinalIgnoreCase) ? SourceContent.Html : SourceContent.Text,
            };
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
                : [path];
            var groups = new Dictionary<InputFormat, List<string>>();
            foreach (var file in files)
            {
                var format = FormatOf(file, input.Format, $"inputs[{i}].format");
                if (format is null)
                {
                    continue;
                }

                if (format is InputFormat.Warc or InputFormat.Jsonl or InputFormat.Parquet)
                {
                    shards.Add(new InputShard(shards.Count, format.Value, [file], options));
                }
                else
                {
                    if (!groups.TryGetValue(format.Value, out var group))
                    {
                        group = [];
                        groups[format.Value] = group;
                    }

                    group.Add(file);
                    if (group.Count == config.FilesPerShard)
                    {
                        shards.Add(new InputShard(shards.Count, format.Value, group.ToArray(), options));
                        group.Clear();
                    }
                }
            }

            foreach (var (format, group) in groups.OrderBy(g => g.Key))
            {
                if (group.Count > 0)
                {
                    shards.Add(new InputShard(shards.Count, format, group.ToArray(), options));
                }
            }
        }

        return shards;
    }

    /// <summary>The format of <paramref name="file"/>: configured, or by extension; null for files to ignore.</summary>
    public static InputFormat? FormatOf(string file, string configured, string field)
    {
        if (!configured.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return configured.ToLowerInvariant() switch
            {
                "warc" => InputFormat.Warc,
                "jsonl" => InputFormat.Jsonl,
                "parquet" => InputFormat.Parquet,
                "html" => InputFormat.Html,
                "text" or "markdown" => InputFormat.Text,
                "pdf" => InputFormat.Pdf,
                _ => throw new InputException($"unknown format '{configured}' (auto, warc, jsonl, parquet, html, text, pdf)", null, field: field),
            };
        }

        var name = Path.GetFileName(file).ToLowerInvariant();
        if (name.EndsWith(".warc", StringComparison.Ordinal) || name.EndsWith(".warc.gz", StringComparison.Ordinal))
        {
            return InputFormat.Warc;
        }

        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".jsonl.gz", StringComparison.Ordinal) || name.EndsWith(".jsonl.zst", StringComparison.Ordinal) ||
            name.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            return InputFormat.Jsonl;
        }

        return Path.GetExtension(name) switch
        {
            ".parquet" => InputFormat.Parquet,
            ".html" or ".htm" or ".xhtml" => InputFormat.Html,
            ".md" or ".markdown" or ".txt" or ".text" or ".rst" => InputFormat.Text,
            ".pdf" => InputFormat.Pdf,
            _ => null,
        };
    }

    /// <summary>Reads the records of <paramref name="shard"/>.</summary>
    public static IEnumerable<SourceRecord> Read(InputShard shard, string? root, CancellationToken cancellationToken = default) => shard.Format switch
    {
        InputFormat.Warc => WarcReader.Read(shard.Files[0], shard.Options, cancellationToken),
        InputFormat.Jsonl => JsonlDocumentReader.Read(shard.Files[0], shard.Options, cancellationToken),
        InputFormat.Parquet => ParquetDocumentReader.Read(shard.Files[0], shard.Options, cancellationToken),
        _ => FileDocumentReader.Read(shard.Files, shard.Format, root, shard.Options, cancellationToken),
    };
}
