using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecForge.Knowledge.Cve;
using SecForge.Knowledge.Kev;
using SecForge.Knowledge.Stix;
using SecForge.Knowledge.Store;

namespace SecForge.Knowledge.Import;

/// <summary>
/// Imports files into a <see cref="KnowledgeBase"/>, detecting each file's format from its content: ATT&amp;CK and
/// CAPEC STIX bundles, CVE JSON 5 records (single files, folder trees, zip archives), the CISA KEV catalog; plain
/// or gzipped. A file of no known format, or a record that cannot be used, is a failure in the file's report with
/// its place and reason, and the import goes on.
/// </summary>
public sealed partial class KnowledgeImporter(KnowledgeBase kb)
{
    private readonly KnowledgeBase _kb = kb ?? throw new ArgumentNullException(nameof(kb));

    /// <summary>Imports every path (files, folders searched recursively for .json, .json.gz and .zip files).</summary>
    public List<ImportReport> Import(IEnumerable<string> paths, IProgress<ImportReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var reports = new List<ImportReport>();
        var cve = new ImportReport { File = "CVE records", Format = "cve-json-5" };
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsCandidate).Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[path];
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var report = ImportFile(file, cve, cancellationToken);
                if (report is not null)
                {
                    reports.Add(report);
                    progress?.Report(report);
                }
            }
        }

        if (cve.Entities > 0 || cve.Failures.Count > 0)
        {
            _kb.RecordSource(cve.File, cve.Format, cve.Version, cve.Entities, cve.Relations, cve.Failures.Count);
            reports.Add(cve);
        }

        return reports;
    }

    private static bool IsCandidate(string file) =>
        file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Imports one file; CVE records are summed into <paramref name="cve"/> (a tree holds hundreds of thousands).</summary>
    private ImportReport? ImportFile(string file, ImportReport cve, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        if (!File.Exists(file))
        {
            var missing = new ImportReport { File = file };
            missing.Failures.Add($"{file}: not found");
            return missing;
        }

        if (file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            ImportZip(file, cve, cancellationToken);
            return null;
        }

        var head = Head(file);
        if (BundleHead().IsMatch(head))
        {
            return ImportStix(file);
        }

        if (head.Contains("\"CVE_RECORD\"", StringComparison.Ordinal))
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            ImportCve(stream, file, cve);
            return null;
        }

        if (head.Contains("\"catalogVersion\"", StringComparison.Ordinal))
        {
            return ImportKev(file);
        }

        var unknown = new ImportReport { File = name };
        unknown.Failures.Add($"{file}: not a format the knowledge base reads (ATT&CK or CAPEC STIX bundle, CVE JSON 5 record, CISA KEV catalog)");
        return unknown;
    }

    private ImportReport ImportStix(string file)
    {
        var report = new ImportReport { File = Path.GetFileName(file), Format = "stix" };
        var catalog = new AttackCatalog();
        catalog.AddFile(file);
        report.Failures.AddRange(catalog.Failures);
        var isCapec = catalog.Entities.Any(e => e.Kind == StixKind.AttackPattern);
        report.Format = isCapec ? "capec-stix" : "attack-stix";
        report.Version = catalog.LatestModified is { Length: >= 10 } modified ? "modified " + modified[..10] : string.Empty;
        string PublicId(StixEntity e) => e.ExternalId ?? e.StixId;
        _kb.Begin();
        foreach (var entity in catalog.Entities)
        {
            var replacement = entity.Revoked ? catalog.Current(entity) : null;
            var data = JsonSerializer.Serialize(new
            {
                stix_id = entity.StixId,
                tactics = entity.Tactics,
                platforms = entity.Platforms,
                aliases = entity.Aliases,
                deprecated = entity.Deprecated,
                revoked = entity.Revoked,
            });
            _kb.Upsert(new KnowledgeEntity(
                PublicId(entity),
                TypeName(entity),
                entity.Name,
                entity.Description,
                report.File,
                entity.Version ?? string.Empty,
                replacement is not null && !ReferenceEquals(replacement, entity) ? PublicId(replacement) : null,
                entity.References.FirstOrDefault(r => r.StartsWith("https://attack.mitre.org", StringComparison.Ordinal) || r.StartsWith("https://capec.mitre.org", StringComparison.Ordinal)),
                data));
            report.Entities++;
            foreach (var reference in entity.References)
            {
                if (CweId().IsMatch(reference) || (CapecId().IsMatch(reference) && entity.Kind != StixKind.AttackPattern))
                {
                    _kb.Relate(new KnowledgeRelation(PublicId(entity), CweId().IsMatch(reference) ? "related-weakness" : "related-attack-pattern", reference.ToUpperInvariant(), report.File));
                    report.Relations++;
                }
            }
        }

        foreach (var relationship in catalog.Relationships)
        {
            if (relationship.Type == "revoked-by" || catalog.ByStixId(relationship.Source) is not { } from || catalog.ByStixId(relationship.Target) is not { } to)
            {
                continue;
            }

            _kb.Relate(new KnowledgeRelation(PublicId(from), relationship.Type, PublicId(to), report.File));
            report.Relations++;
        }

        _kb.RecordSource(report.File, report.Format, report.Version, report.Entities, report.Relations, report.Failures.Count);
        _kb.Commit();
        return report;
    }

    private ImportReport ImportKev(string file)
    {
        var report = new ImportReport { File = Path.GetFileName(file), Format = "cisa-kev" };
        using var stream = OpenMaybeGzip(File.OpenRead(file));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException exception)
        {
            report.Failures.Add($"{file}: not valid JSON: {exception.Message}");
            return report;
        }

        using (document)
        {
            var (version, entries) = KevCatalogReader.Parse(document.RootElement, report.Failures);
            report.Version = version;
            _kb.Begin();
            foreach (var entry in entries)
            {
                var kevId = "kev:" + entry.CveId;
                var data = JsonSerializer.Serialize(new { date_added = entry.DateAdded, due_date = entry.DueDate, required_action = entry.RequiredAction, known_ransomware_campaign_use = entry.RansomwareUse, vendor = entry.Vendor, product = entry.Product });
                _kb.Upsert(new KnowledgeEntity(kevId, "kev", entry.Name, entry.Description, report.File, version, Data: data));
                _kb.Upsert(new KnowledgeEntity(entry.CveId, "cve", entry.Name, entry.Description, report.File, version), onlyIfAbsent: true);
                _kb.Relate(new KnowledgeRelation(entry.CveId, "listed-in-kev", kevId, report.File));
                report.Entities++;
                report.Relations++;
                foreach (var cwe in entry.Cwes.Where(c => CweId().IsMatch(c)))
                {
                    _kb.Relate(new KnowledgeRelation(entry.CveId, "weakness", cwe.ToUpperInvariant(), report.File));
                    report.Relations++;
                }
            }

            _kb.RecordSource(report.File, report.Format, report.Version, report.Entities, report.Relations, report.Failures.Count);
            _kb.Commit();
        }

        return report;
    }

    private void ImportZip(string file, ImportReport cve, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(file);
        }
        catch (InvalidDataException exception)
        {
            cve.Failures.Add($"{file}: not a readable zip: {exception.Message}");
            return;
        }

        using (archive)
        {
            _kb.Begin();
            var count = 0;
            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stream = entry.Open();
                ImportCve(stream, $"{file}!{entry.FullName}", cve, commit: false);
                if (++count % 5000 == 0)
                {
                    _kb.Commit();
                    _kb.Begin();
                }
            }

            _kb.Commit();
        }
    }

    private void ImportCve(Stream stream, string place, ImportReport report, bool commit = true)
    {
        CveRecord record;
        try
        {
            using var document = JsonDocument.Parse(stream);
            record = CveRecordReader.Parse(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            report.Failures.Add($"{place}: {exception.Message}");
            return;
        }

        if (commit)
        {
            _kb.Begin();
        }

        var source = Path.GetFileName(place.Split('!')[0]);
        var name = record.Title ?? (record.Description.Length > 100 ? record.Description[..100] + "…" : record.Description);
        var data = JsonSerializer.Serialize(new
        {
            state = record.State,
            published = record.Published,
            cvss = record.Scores.Select(s => new { version = s.Version, vector = s.Vector, base_score = s.BaseScore, severity = s.Severity, provider = s.Provider }),
            affected = record.Affected.Select(a => new { vendor = a.Vendor, product = a.Product }),
            references = record.References.Take(20),
        });
        _kb.Upsert(new KnowledgeEntity(record.Id, "cve", name, record.Description, source, $"{record.DataVersion} {record.Updated}".Trim(), Data: data));
        report.Entities++;
        report.Version = record.DataVersion;
        foreach (var cwe in record.Cwes)
        {
            _kb.Relate(new KnowledgeRelation(record.Id, "weakness", cwe, source));
            report.Relations++;
        }

        if (commit)
        {
            _kb.Commit();
        }
    }

    private static string TypeName(StixEntity entity) => entity.Kind switch
    {
        StixKind.Technique => "technique",
        StixKind.Tactic => "tactic",
        StixKind.Group => "group",
        StixKind.Software => "software",
        StixKind.Campaign => "campaign",
        StixKind.Mitigation => entity.ExternalId is null ? "capec-mitigation" : "mitigation",
        StixKind.DataComponent => "data-component",
        _ => "capec",
    };

    private static Stream OpenMaybeGzip(FileStream file)
    {
        var gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>The first few KB of the (decompressed) file, to tell formats apart.</summary>
    private static string Head(string file)
    {
        try
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            var buffer = new byte[8192];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (InvalidDataException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex(@"""type""\s*:\s*""bundle""|""objects""\s*:\s*\[", RegexOptions.CultureInvariant)]
    private static partial Regex BundleHead();

    [GeneratedRegex(@"^CWE-\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CweId();

    [GeneratedRegex(@"^CAPEC-\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CapecId();
}
