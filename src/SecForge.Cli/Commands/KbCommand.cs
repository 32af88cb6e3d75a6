using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Knowledge.Export;
using SecForge.Knowledge.Fetch;
using SecForge.Knowledge.Import;
using SecForge.Knowledge.Store;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge kb</c>: the security knowledge base (import, show, related, search, stats, export).</summary>
internal static class KbCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("kb", "The security knowledge base: one SQLite file of ATT&CK, CAPEC, CVE and KEV entities and their relations, with hybrid search.");
        command.Subcommands.Add(Import(context));
        command.Subcommands.Add(Fetch(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Related(context));
        command.Subcommands.Add(Search(context));
        command.Subcommands.Add(Stats(context));
        command.Subcommands.Add(Export(context));
        return command;
    }

    private static Option<string> KbOption() => new("--kb") { Description = "The knowledge base file (SQLite).", Required = true };

    private static KnowledgeBase OpenExisting(CliContext context, string path)
    {
        var full = context.ResolvePath(path);
        return File.Exists(full) ? KnowledgeBase.Open(full) : throw new InputException("no knowledge base here; build one with `secforge kb import FILE... --kb " + path + "`", full, null, "--kb");
    }

    private static Command Import(CliContext context)
    {
        var files = new Argument<string[]>("files") { Description = "Files or folders: ATT&CK or CAPEC STIX bundles, CVE JSON 5 records (files, folder trees, .zip), the CISA KEV catalog; plain or gzipped. The format is read from the content.", Arity = ArgumentArity.OneOrMore };
        var kb = KbOption();
        var noVectors = new Option<bool>("--no-vectors") { Description = "Skip the MiniLM vectors (search is then BM25 only; a later import without this flag adds them)." };
        var json = CommandOptions.Json();
        var command = new Command("import", "Import files into the knowledge base (created if absent). Importing the same file again changes nothing.") { files, kb, noVectors, json };
        command.SetAction((parse, cancellationToken) =>
        {
            using var store = KnowledgeBase.Open(context.ResolvePath(parse.GetValue(kb)!));
            var importer = new KnowledgeImporter(store);
            var progress = new ImmediateProgress<ImportReport>(r => context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"secforge: {r.File}: {r.Format} {r.Version}: {r.Entities:N0} entities, {r.Relations:N0} relations, {r.Failures.Count:N0} failures")));
            var reports = importer.Import(parse.GetValue(files)!.Select(context.ResolvePath), progress, cancellationToken);
            var shown = System.Diagnostics.Stopwatch.StartNew();
            var vectorProgress = new ImmediateProgress<(int Done, int Total)>(p =>
            {
                if (shown.Elapsed >= context.ProgressInterval || p.Done == p.Total)
                {
                    shown.Restart();
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"secforge: MiniLM vectors {p.Done:N0} of {p.Total:N0}"));
                }
            });
            var embedded = parse.GetValue(noVectors) ? 0 : KnowledgeVectors.Update(store, vectorProgress, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { files = reports.Select(r => new { file = r.File, format = r.Format, version = r.Version, entities = r.Entities, relations = r.Relations, failures = r.Failures }), vectors_added = embedded }, SecForgeJson.Indented));
            }
            else
            {
                TableOutput.Write(context, ["file", "format", "version", "entities", "relations", "failures"], reports.Select(r => (IReadOnlyList<string>)[r.File, r.Format, r.Version, r.Entities.ToString("N0", CultureInfo.InvariantCulture), r.Relations.ToString("N0", CultureInfo.InvariantCulture), r.Failures.Count.ToString("N0", CultureInfo.InvariantCulture)]), $"imported; {embedded:N0} vectors added");
                foreach (var failure in reports.SelectMany(r => r.Failures).Take(20))
                {
                    context.Error.WriteLine("secforge: skipped: " + failure);
                }
            }

            var total = reports.Sum(r => r.Entities);
            return Task.FromResult(total == 0 && reports.Any(r => r.Failures.Count > 0) ? ExitCodes.BadInput : ExitCodes.Success);
        });
        return command;
    }

    private static Command Fetch(CliContext context)
    {
        var sources = new Argument<string>("sources") { Description = "Comma-separated: attack, capec, cwe, kev, epss, nvd, osv." };
        var kb = KbOption();
        var cache = new Option<string?>("--cache") { Description = "Where downloads and their state are kept (default: KB.sources next to the knowledge base)." };
        var urls = new Option<string[]>("--url") { Description = "NAME=URL: fetch a source from a mirror instead of its official location (repeat).", AllowMultipleArgumentsPerToken = true };
        var keyEnv = new Option<string>("--nvd-api-key-env") { Description = "The environment variable holding an NVD API key (raises NVD's rate limit).", DefaultValueFactory = _ => "NVD_API_KEY" };
        var ecosystems = new Option<string[]>("--osv-ecosystem") { Description = "OSV ecosystems to fetch (repeat; default PyPI, npm, Maven, Go).", AllowMultipleArgumentsPerToken = true };
        var noVectors = new Option<bool>("--no-vectors") { Description = "Skip the MiniLM vectors for new or changed entities." };
        var command = new Command("fetch", "Refresh the knowledge base from the official locations: conditional requests (unchanged files are not downloaded), SHA-256 of every download, NVD incrementally by last-modified date at NVD's rate limits.") { sources, kb, cache, urls, keyEnv, ecosystems, noVectors };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(sources)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in names.Where(n => !KnowledgeFetcher.DefaultUrls.ContainsKey(n)))
            {
                throw new InputException($"unknown source '{name}'; known: {string.Join(", ", KnowledgeFetcher.DefaultUrls.Keys)}", null, null, "sources");
            }

            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(urls) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || !KnowledgeFetcher.DefaultUrls.ContainsKey(parts[0]) || !Uri.TryCreate(parts[1], UriKind.Absolute, out _))
                {
                    throw new InputException($"--url takes NAME=URL with a known source name, not '{pair}'", null, null, "--url");
                }

                overrides[parts[0]] = parts[1];
            }

            var kbPath = context.ResolvePath(parse.GetValue(kb)!);
            using var store = KnowledgeBase.Open(kbPath);
            var options = new FetchOptions
            {
                CacheDirectory = parse.GetValue(cache) is { } c ? context.ResolvePath(c) : kbPath + ".sources",
                Urls = overrides,
                NvdApiKey = Environment.GetEnvironmentVariable(parse.GetValue(keyEnv)!) is { Length: > 0 } key ? key : null,
                OsvEcosystems = parse.GetValue(ecosystems) is { Length: > 0 } chosen ? chosen : new FetchOptions { CacheDirectory = "." }.OsvEcosystems,
            };
            using var fetcher = new KnowledgeFetcher(store, options);
            var results = await fetcher.FetchAsync(names, new ImmediateProgress<string>(line => context.Error.WriteLine("secforge: " + line)), cancellationToken).ConfigureAwait(false);
            var embedded = parse.GetValue(noVectors) ? 0 : KnowledgeVectors.Update(store, null, cancellationToken);
            TableOutput.Write(context, ["source", "outcome", "entities", "downloaded"], results.Select(r => (IReadOnlyList<string>)[r.Source, r.Outcome, r.Imports.Sum(i => i.Entities).ToString("N0", CultureInfo.InvariantCulture), Core.IO.ByteSize.Format(r.Bytes)]), $"fetched; {embedded:N0} vectors added");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "An id: T1059.001, TA0002, G0016, S0002, M1036, CAPEC-66, CVE-2021-44228, kev:CVE-2021-44228." };
        var kb = KbOption();
        var json = CommandOptions.Json();
        var command = new Command("show", "Show one entity with its relations; a revoked ATT&CK id shows the entity that replaced it.") { id, kb, json };
        command.SetAction(parse =>
        {
            using var store = OpenExisting(context, parse.GetValue(kb)!);
            var asked = parse.GetValue(id)!;
            var entity = store.Resolve(asked) ?? throw new InputException($"'{asked}' is not in the knowledge base", null, null, "id");
            var related = store.Related(entity.Id);
            if (parse.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["id"] = entity.Id,
                    ["type"] = entity.Type,
                    ["name"] = entity.Name,
                    ["description"] = entity.Description,
                    ["source"] = entity.Source,
                    ["version"] = entity.Version,
                    ["url"] = entity.Url,
                    ["asked"] = string.Equals(asked, entity.Id, StringComparison.OrdinalIgnoreCase) ? null : asked,
                    ["data"] = entity.Data is null ? null : JsonNode.Parse(entity.Data),
                    ["relations"] = new JsonArray(related.Select(r => (JsonNode)new JsonObject { ["relation"] = r.Relation, ["direction"] = r.Direction, ["id"] = r.Id, ["type"] = r.Type, ["name"] = r.Name }).ToArray()),
                };
                context.Output.WriteLine(node.ToJsonString(SecForgeJson.Indented));
            }
            else
            {
                if (!string.Equals(asked, entity.Id, StringComparison.OrdinalIgnoreCase))
                {
                    context.Output.WriteLine($"{asked} was revoked; showing its replacement.");
                }

                context.Output.Write(KnowledgeExporter.Render(entity, related));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Related(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "An entity id." };
        var kb = KbOption();
        var json = CommandOptions.Json();
        var command = new Command("related", "List the entities related to one, both ways (uses, mitigates, sub-technique of, weakness, KEV entry, ...).") { id, kb, json };
        command.SetAction(parse =>
        {
            using var store = OpenExisting(context, parse.GetValue(kb)!);
            var asked = parse.GetValue(id)!;
            var entity = store.Resolve(asked) ?? throw new InputException($"'{asked}' is not in the knowledge base", null, null, "id");
            var related = store.Related(entity.Id);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(related.Select(r => new { relation = r.Relation, direction = r.Direction, id = r.Id, type = r.Type, name = r.Name }), SecForgeJson.Indented));
            }
            else
            {
                TableOutput.Write(context, ["relation", "direction", "id", "type", "name"], related.Select(r => (IReadOnlyList<string>)[r.Relation, r.Direction, r.Id, r.Type ?? "-", r.Name ?? "-"]), $"{entity.Id} {entity.Name}: {related.Count} relations");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Search(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What to look for, in words." };
        var kb = KbOption();
        var type = new Option<string?>("--type") { Description = "Only entities of this type: technique, tactic, group, software, campaign, mitigation, data-component, capec, cve, kev." };
        var limit = new Option<int>("--limit") { Description = "How many results.", DefaultValueFactory = _ => 10 };
        var mode = new Option<SearchMode>("--mode") { Description = "bm25 (SQLite FTS5), vector (MiniLM) or hybrid (both, fused by reciprocal rank; BM25 alone when the knowledge base has no vectors).", DefaultValueFactory = _ => SearchMode.Hybrid };
        var json = CommandOptions.Json();
        var command = new Command("search", "Search the knowledge base; results as [{id, type, name, score}] with --json.") { query, kb, type, limit, mode, json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(limit) < 1)
            {
                throw new InputException("--limit must be at least 1", null, null, "--limit");
            }

            using var store = OpenExisting(context, parse.GetValue(kb)!);
            var hits = store.Search(parse.GetValue(query)!, parse.GetValue(mode), parse.GetValue(limit), parse.GetValue(type), KnowledgeVectors.Embed);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(hits.Select(h => new { id = h.Id, type = h.Type, name = h.Name, score = h.Score }), SecForgeJson.Indented));
            }
            else
            {
                TableOutput.Write(context, ["id", "type", "name", "score"], hits.Select(h => (IReadOnlyList<string>)[h.Id, h.Type, h.Name, h.Score.ToString("0.0000", CultureInfo.InvariantCulture)]), $"{hits.Count} results");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Stats(CliContext context)
    {
        var kb = KbOption();
        var json = CommandOptions.Json();
        var command = new Command("stats", "Entities by type, relations, vectors, and the sources imported with their versions.") { kb, json };
        command.SetAction(parse =>
        {
            using var store = OpenExisting(context, parse.GetValue(kb)!);
            var stats = store.Stats();
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { entities = stats.EntitiesByType, relations = stats.Relations, vectors = stats.Vectors, sources = stats.Sources }, SecForgeJson.Indented));
            }
            else
            {
                TableOutput.Write(context, ["type", "entities"], stats.EntitiesByType.Select(p => (IReadOnlyList<string>)[p.Key, p.Value.ToString("N0", CultureInfo.InvariantCulture)]), string.Create(CultureInfo.InvariantCulture, $"{stats.EntitiesByType.Values.Sum():N0} entities, {stats.Relations:N0} relations, {stats.Vectors:N0} vectors"));
                foreach (var (file, summary) in stats.Sources)
                {
                    context.Output.WriteLine($"{file}: {summary}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var kb = KbOption();
        var output = CommandOptions.Output("The documents file: JSON Lines ({id, url, type, source, text}), gzipped when it ends in .gz, Zstandard when it ends in .zst; `corpus run` reads it.");
        var type = new Option<string?>("--type") { Description = "Only entities of this type." };
        var command = new Command("export", "Render every entity as a Markdown document for the corpus pipeline.") { kb, output, type };
        command.SetAction((parse, cancellationToken) =>
        {
            using var store = OpenExisting(context, parse.GetValue(kb)!);
            var path = context.ResolvePath(parse.GetValue(output)!);
            var count = KnowledgeExporter.Export(store, path, parse.GetValue(type), cancellationToken);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} documents written to {path}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
