using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecForge.Knowledge.Cve;
using SecForge.Knowledge.Cwe;
using SecForge.Knowledge.Epss;
using SecForge.Knowledge.Kev;
using SecForge.Knowledge.Nvd;
using SecForge.Knowledge.Osv;
using SecForge.Knowledge.Stix;
using SecForge.Knowledge.Store;

namespace SecForge.Knowledge.Import;

/// <summary>
/// Imports files into a <see cref="KnowledgeBase"/>, detecting each file's format from its content: ATT&amp;CK and
/// CAPEC STIX bundles, the CWE XML, CVE JSON 5 records (single files, folder trees, zip archives), NVD API 2.0
/// responses, the CISA KEV catalog, FIRST EPSS CSV, OSV records (files, folders, zips); plain or gzipped. A file of no known format, or a record that cannot be used, is a failure in the file's report with
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
        var osv = new ImportReport { File = "OSV records", Format = "osv" };
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsCandidate).Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[path];
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var report = ImportFile(file, cve, osv, cancellationToken);
                if (report is not null)
                {
                    reports.Add(report);
                    progress?.Report(report);
                }
            }
        }

        foreach (var summed in new[] { cve, osv })
        {
            if (summed.Entities > 0 || summed.Failures.Count > 0)
            {
                _kb.RecordSource(summed.File, summed.Format, summed.Version, summed.Entities, summed.Relations, summed.Failures.Count);
                reports.Add(summed);
            }
        }

        return reports;
    }

    private static bool IsCandidate(string file) =>
        Extensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] Extensions = [".json", ".json.gz", ".zip", ".xml", ".xml.gz", ".csv", ".csv.gz"];

    /// <summary>Imports one file; CVE and OSV records are summed into <paramref name="cve"/> and <paramref name="osv"/> (a tree holds hundreds of thousands).</summary>
    private ImportReport? ImportFile(string file, ImportReport cve, ImportReport osv, CancellationToken cancellationToken)
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
            return ImportZip(file, cve, osv, cancellationToken);
        }

        var head = Head(file);
        if (BundleHead().IsMatch(head))
        {
            return ImportStix(file);
        }

        if (head.Contains("<Weakness_Catalog", StringComparison.Ordinal))
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            return ImportCwe(stream, name);
        }

        if (head.Contains("\"CVE_RECORD\"", StringComparison.Ordinal))
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            ImportJsonRecord(stream, file, cve, osv);
            return null;
        }

        if (head.Contains("\"catalogVersion\"", StringComparison.Ordinal))
        {
            return ImportKev(file);
        }

        if (NvdHead().IsMatch(head))
        {
            return ImportNvd(file);
        }

        if (head.StartsWith("#model_version", StringComparison.Ordinal) || head.StartsWith("cve,epss", StringComparison.OrdinalIgnoreCase))
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            return ImportEpss(stream, name);
        }

        if (OsvHead().IsMatch(head))
        {
            using var stream = OpenMaybeGzip(File.OpenRead(file));
            ImportJsonRecord(stream, file, cve, osv);
            return null;
        }

        var unknown = new ImportReport { File = name };
        unknown.Failures.Add($"{file}: not a format the knowledge base reads (ATT&CK or CAPEC STIX bundle, CWE XML, CVE JSON 5 record, NVD API 2.0 response, CISA KEV catalog, EPSS CSV, OSV record)");
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
                string? relation = reference switch
                {
                    _ when CweId().IsMatch(reference) => "related-weakness",
                    _ when CapecId().IsMatch(reference) && entity.Kind != StixKind.AttackPattern => "related-attack-pattern",
                    _ when TechniqueId().IsMatch(reference) && entity.Kind == StixKind.AttackPattern => "related-technique",
                    _ => null,
                };
                if (relation is not null)
                {
                    _kb.Relate(new KnowledgeRelation(PublicId(entity), relation, reference.ToUpperInvariant(), report.File));
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

    /// <summary>A zip of CVE or OSV JSON records (a cvelistV5 or osv.dev dump), or of the CWE XML (cwec_latest.xml.zip).</summary>
    private ImportReport? ImportZip(string file, ImportReport cve, ImportReport osv, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(file);
        }
        catch (InvalidDataException exception)
        {
            var broken = new ImportReport { File = Path.GetFileName(file) };
            broken.Failures.Add($"{file}: not a readable zip: {exception.Message}");
            return broken;
        }

        ImportReport? cwe = null;
        using (archive)
        {
            _kb.Begin();
            var count = 0;
            foreach (var entry in archive.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                {
                    _kb.Commit();
                    using var xml = entry.Open();
                    cwe = ImportCwe(xml, $"{Path.GetFileName(file)}!{entry.FullName}");
                    _kb.Begin();
                    continue;
                }

                if (!entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                using var stream = entry.Open();
                ImportJsonRecord(stream, $"{file}!{entry.FullName}", cve, osv, commit: false);
                if (++count % 5000 == 0)
                {
                    _kb.Commit();
                    _kb.Begin();
                }
            }

            _kb.Commit();
        }

        return cwe;
    }

    /// <summary>One JSON record: a CVE JSON 5 record or an OSV record, told apart by their fields.</summary>
    private void ImportJsonRecord(Stream stream, string place, ImportReport cve, ImportReport osv, bool commit = true)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException exception)
        {
            cve.Failures.Add($"{place}: not valid JSON: {exception.Message}");
            return;
        }

        using (document)
        {
            if (CveRecordReader.IsCveRecord(document.RootElement))
            {
                ImportCve(document.RootElement, place, cve, commit);
            }
            else if (OsvRecordReader.IsOsvRecord(document.RootElement))
            {
                ImportOsv(document.RootElement, place, osv, commit);
            }
            else
            {
                cve.Failures.Add($"{place}: neither a CVE JSON 5 record (dataType CVE_RECORD) nor an OSV record (id, modified)");
            }
        }
    }

    private void ImportCve(JsonElement root, string place, ImportReport report, bool commit = true)
    {
        CveRecord record;
        try
        {
            record = CveRecordReader.Parse(root);
        }
        catch (FormatException exception)
        {
            report.Failures.Add($"{place}: {exception.Message}");
            return;
        }

        StoreCve(record, Path.GetFileName(place.Split('!')[0]), report, commit);
    }

    private void StoreCve(CveRecord record, string source, ImportReport report, bool commit = true)
    {
        if (commit)
        {
            _kb.Begin();
        }

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

    private ImportReport ImportCwe(Stream stream, string name)
    {
        var report = new ImportReport { File = name, Format = "cwe-xml" };
        var catalog = new CweCatalogReader.Catalog();
        _kb.Begin();
        foreach (var read in CweCatalogReader.Read(stream, catalog))
        {
            if (read.Entry is not { } entry)
            {
                report.Failures.Add($"{name}: {read.Error}");
                continue;
            }

            var type = entry.Kind switch
            {
                CweKind.Category => "cwe-category",
                CweKind.View => "cwe-view",
                _ => "cwe",
            };
            var data = JsonSerializer.Serialize(new { abstraction = entry.Abstraction, status = entry.Status, mapping_usage = entry.MappingUsage, mapping_rationale = entry.MappingRationale });
            var number = entry.Id["CWE-".Length..];
            var url = $"https://cwe.mitre.org/data/definitions/{number}.html";
            _kb.Upsert(new KnowledgeEntity(entry.Id, type, entry.Name, entry.Description, name, catalog.Version, Url: url, Data: data));
            report.Entities++;
            foreach (var relation in entry.Relations)
            {
                _kb.Relate(new KnowledgeRelation(entry.Id, Kebab(relation.Nature), relation.Target, name));
                report.Relations++;
            }
        }

        report.Version = catalog.Version;
        _kb.RecordSource(report.File, report.Format, report.Version, report.Entities, report.Relations, report.Failures.Count);
        _kb.Commit();
        return report;
    }

    private ImportReport ImportNvd(string file)
    {
        var report = new ImportReport { File = Path.GetFileName(file), Format = "nvd-api-2.0", Version = "2.0" };
        using var stream = OpenMaybeGzip(File.OpenRead(file));
        _kb.Begin();
        foreach (var record in NvdReader.Read(stream, report.Failures))
        {
            StoreCve(record, report.File, report, commit: false);
            if (report.Entities % 5000 == 0)
            {
                _kb.Commit();
                _kb.Begin();
            }
        }

        _kb.RecordSource(report.File, report.Format, report.Version, report.Entities, report.Relations, report.Failures.Count);
        _kb.Commit();
        return report;
    }

    private ImportReport ImportEpss(Stream stream, string name)
    {
        var report = new ImportReport { File = name, Format = "epss-csv" };
        var header = new EpssReader.Header();
        using var reader = new StreamReader(stream);
        _kb.Begin();
        foreach (var score in EpssReader.Read(reader, report.Failures, header))
        {
            var id = "epss:" + score.CveId;
            var data = JsonSerializer.Serialize(new { epss = score.Epss, percentile = double.IsNaN(score.Percentile) ? (double?)null : score.Percentile, score_date = header.ScoreDate, model_version = header.ModelVersion });
            _kb.Upsert(new KnowledgeEntity(id, "epss", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"EPSS {score.Epss:0.#####} (percentile {score.Percentile:0.###})"), string.Empty, name, header.ScoreDate, Data: data));
            _kb.Relate(new KnowledgeRelation(score.CveId, "epss-score", id, name));
            report.Entities++;
            report.Relations++;
            if (report.Entities % 20_000 == 0)
            {
                _kb.Commit();
                _kb.Begin();
            }
        }

        report.Version = string.Join(' ', new[] { header.ModelVersion, header.ScoreDate }.Where(v => v.Length > 0));
        _kb.RecordSource(report.File, report.Format, report.Version, report.Entities, report.Relations, report.Failures.Count);
        _kb.Commit();
        return report;
    }

    private void ImportOsv(JsonElement root, string place, ImportReport report, bool commit)
    {
        OsvRecord record;
        try
        {
            record = OsvRecordReader.Parse(root);
        }
        catch (FormatException exception)
        {
            report.Failures.Add($"{place}: {exception.Message}");
            return;
        }

        if (commit)
        {
            _kb.Begin();
        }

        var source = Path.GetFileName(place.Split('!')[0]);
        var data = JsonSerializer.Serialize(new { aliases = record.Aliases, severity = record.Severity, packages = record.Packages.Select(p => new { ecosystem = p.Ecosystem, name = p.Name }), published = record.Published, withdrawn = record.Withdrawn });
        var description = record.Details.Length > 4000 ? record.Details[..4000] + "…" : record.Details;
        _kb.Upsert(new KnowledgeEntity(record.Id, "advisory", record.Summary.Length > 0 ? record.Summary : record.Id, description, source, record.Modified ?? string.Empty, Url: record.Id.StartsWith("GHSA-", StringComparison.Ordinal) ? $"https://github.com/advisories/{record.Id}" : $"https://osv.dev/vulnerability/{record.Id}", Data: data));
        report.Entities++;
        report.Version = "osv";
        foreach (var alias in record.Aliases.Where(a => a.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase)))
        {
            _kb.Relate(new KnowledgeRelation(record.Id, "advisory-for", alias.ToUpperInvariant(), source));
            report.Relations++;
        }

        foreach (var cwe in record.Cwes.Where(c => CweId().IsMatch(c)))
        {
            _kb.Relate(new KnowledgeRelation(record.Id, "weakness", cwe.ToUpperInvariant(), source));
            report.Relations++;
        }

        if (commit)
        {
            _kb.Commit();
        }
    }

    /// <summary>ChildOf → child-of, CanPrecede → can-precede.</summary>
    private static string Kebab(string nature) =>
        string.Concat(nature.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string TypeName(StixEntity entity) => entity.Kind switch
    {
        StixKind.Technique => "technique",
        StixKind.Tactic => "tactic",
        StixKind.Group => "group",
        StixKind.Software => "software",
        StixKind.Campaign => "campaign",
        StixKind.Mitigation => entity.ExternalId is null ? "capec-mitigation" : "mitigation",
        StixKind.DataComponent => "data-component",
        StixKind.DetectionStrategy => "detection-strategy",
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

    [GeneratedRegex(@"""format""\s*:\s*""NVD_CVE""|""resultsPerPage""\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex NvdHead();

    [GeneratedRegex(@"""schema_version""\s*:|""aliases""\s*:\s*\[", RegexOptions.CultureInvariant)]
    private static partial Regex OsvHead();

    [GeneratedRegex(@"^CWE-\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CweId();

    [GeneratedRegex(@"^CAPEC-\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CapecId();

    [GeneratedRegex(@"^T\d{4}(?:\.\d{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TechniqueId();
}
