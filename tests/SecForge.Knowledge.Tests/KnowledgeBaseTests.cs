using System.IO.Compression;
using System.Text.Json;
using SecForge.Curation.Sources;
using SecForge.Knowledge.Cve;
using SecForge.Knowledge.Export;
using SecForge.Knowledge.Import;
using SecForge.Knowledge.Store;
using SecForge.Testing;

namespace SecForge.Knowledge.Tests;

internal static class KnowledgeFixtures
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Fixtures");

    public static string File(string name) => Path.Combine(Folder, name);
}

public sealed class CveRecordReaderTests
{
    private static CveRecord Read(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(KnowledgeFixtures.File(relative)));
        return CveRecordReader.Parse(document.RootElement);
    }

    [Fact]
    public void A_real_record_merges_the_cna_and_adp_containers()
    {
        var record = Read("cve/2021/44xxx/CVE-2021-44228.json");
        Assert.Equal("CVE-2021-44228", record.Id);
        Assert.False(record.Rejected);
        Assert.StartsWith("Apache Log4j2 2.0-beta9 through 2.15.0", record.Description, StringComparison.Ordinal);
        Assert.Equal(["CWE-502", "CWE-400", "CWE-20"], record.Cwes);
        var cvss = Assert.Single(record.Scores);
        Assert.Equal(("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CISA-ADP"), (cvss.Version, cvss.Vector, cvss.BaseScore!.Value, cvss.Provider));
        Assert.Equal(new AffectedProduct("Apache Software Foundation", "Apache Log4j2"), Assert.Single(record.Affected));
        Assert.Contains("https://www.debian.org/security/2021/dsa-5020", record.References);
        Assert.Equal("5.1", record.DataVersion);
    }

    [Fact]
    public void Every_cvss_version_a_container_can_state_is_read_with_its_provider()
    {
        const string Json = """
            {"dataType": "CVE_RECORD", "dataVersion": "5.1", "cveMetadata": {"cveId": "CVE-2099-0009", "state": "PUBLISHED"},
             "containers": {
               "cna": {"providerMetadata": {"shortName": "vendor"}, "descriptions": [{"lang": "de", "value": "Beschreibung"}, {"lang": "en-US", "value": "English text"}],
                       "metrics": [{"cvssV4_0": {"version": "4.0", "baseScore": 9.3, "baseSeverity": "CRITICAL", "vectorString": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}},
                                   {"cvssV3_0": {"version": "3.0", "baseScore": 9.8, "vectorString": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
                                   {"cvssV2_0": {"version": "2.0", "baseScore": 7.5, "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}}],
                       "problemTypes": [{"descriptions": [{"lang": "en", "type": "text", "description": "CWE-787 Out-of-bounds Write"}]}]}}}
            """;
        using var document = JsonDocument.Parse(Json);
        var record = CveRecordReader.Parse(document.RootElement);
        Assert.Equal("English text", record.Description);
        Assert.Equal(["4.0", "3.0", "2.0"], record.Scores.Select(s => s.Version));
        Assert.All(record.Scores, s => Assert.Equal("vendor", s.Provider));
        Assert.Equal(9.3, record.Scores[0].BaseScore);
        Assert.Equal(["CWE-787"], record.Cwes);
    }

    [Fact]
    public void A_rejected_record_keeps_its_reason_and_a_record_without_containers_names_the_field()
    {
        var rejected = Read("cve/2099/0xxx/CVE-2099-0001.json");
        Assert.True(rejected.Rejected);
        Assert.Contains("REJECT", rejected.Description, StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => Read("cve/2099/0xxx/CVE-2099-0002.json"));
        Assert.StartsWith("containers", error.Message, StringComparison.Ordinal);
    }
}

public sealed class KnowledgeBaseTests
{
    private static (KnowledgeBase Kb, List<ImportReport> Reports) Build(TempDirectory temp, params string[] extra)
    {
        var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var reports = new KnowledgeImporter(kb).Import([KnowledgeFixtures.File("attack-cut.json"), KnowledgeFixtures.File("kev-cut.json"), KnowledgeFixtures.File("cve"), .. extra]);
        return (kb, reports);
    }

    [Fact]
    public void Imports_attack_kev_and_cve_with_their_relations_and_counts_what_it_could_not_use()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("notes.json"), "{\"hello\": \"world\"}");
        var (kb, reports) = Build(temp, temp.File("notes.json"));
        using (kb)
        {
            Assert.Equal(["attack-stix", "cisa-kev", "unknown", "cve-json-5"], reports.Select(r => r.Format));
            Assert.Contains("vulnerabilities[5]: no cveID", Assert.Single(reports[1].Failures), StringComparison.Ordinal);
            Assert.Contains("not a format the knowledge base reads", Assert.Single(reports[2].Failures), StringComparison.Ordinal);
            Assert.Equal(2, reports[3].Entities);
            Assert.Contains(reports[3].Failures, f => f.Contains("CVE-2099-0002.json: containers", StringComparison.Ordinal));

            var log4shell = kb.Get("CVE-2021-44228")!;
            Assert.Equal("cve", log4shell.Type);
            Assert.Equal("CVE-2021-44228.json", log4shell.Source);
            Assert.Contains("\"base_score\":10", log4shell.Data, StringComparison.Ordinal);
            var related = kb.Related("CVE-2021-44228");
            Assert.Contains(related, r => r is { Relation: "listed-in-kev", Id: "kev:CVE-2021-44228", Type: "kev" });
            Assert.Equal(["CWE-20", "CWE-400", "CWE-502"], related.Where(r => r.Relation == "weakness").Select(r => r.Id).Order(StringComparer.Ordinal));

            Assert.Contains(kb.Related("M1042"), r => r is { Relation: "mitigates", Direction: "out", Id: "T1059.001" });
            Assert.Contains(kb.Related("T1059.001"), r => r is { Relation: "uses", Direction: "in", Id: "G0016", Name: "APT29" });
            Assert.Equal("T1070.005", kb.Get("T1126")!.RevokedBy);
            Assert.Equal("T1070.005", kb.Resolve("t1126")!.Id);
        }
    }

    [Fact]
    public void The_whole_shared_sources_link_cve_to_weakness_to_attack_pattern_to_technique_to_its_detections()
    {
        var folder = RepositoryPaths.SharedDataFolder("security-sources");
        Assert.SkipWhen(folder is null, "../shared/data/security-sources is not here");
        using var temp = new TempDirectory();
        using var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var reports = new KnowledgeImporter(kb).Import([folder!]);
        Assert.All(reports, r => Assert.Empty(r.Failures));
        Assert.Equal(1404, kb.Stats().EntitiesByType["kev"]);

        // CVE-2021-44228 (KEV) → CWE-502 → CAPEC-586 (deserialization) → its ATT&CK technique, and techniques → detections.
        Assert.Contains(kb.Related("CVE-2021-44228"), r => r is { Relation: "weakness", Id: "CWE-502" });
        Assert.Contains(kb.Related("CWE-502"), r => r is { Relation: "related-weakness", Direction: "in", Id: "CAPEC-586" });
        Assert.Contains(kb.Related("CAPEC-112"), r => r is { Relation: "related-technique", Type: "technique" });
        Assert.Contains(kb.Related("T1059.001"), r => r is { Relation: "detects", Direction: "in", Type: "detection-strategy" });
        Assert.Contains(kb.Related("G0016"), r => r is { Relation: "uses", Direction: "out", Type: "software" });
    }

    [Fact]
    public void Importing_again_changes_nothing()
    {
        using var temp = new TempDirectory();
        var (kb, _) = Build(temp);
        using (kb)
        {
            var before = JsonSerializer.Serialize(kb.Stats());
            var all = kb.All().ToList();
            new KnowledgeImporter(kb).Import([KnowledgeFixtures.File("attack-cut.json"), KnowledgeFixtures.File("kev-cut.json"), KnowledgeFixtures.File("cve")]);
            Assert.Equal(before, JsonSerializer.Serialize(kb.Stats()));
            Assert.Equal(all, kb.All().ToList());
        }
    }

    [Fact]
    public void Cve_records_are_read_from_a_zip_and_a_gzipped_bundle_is_detected()
    {
        using var temp = new TempDirectory();
        using (var zip = ZipFile.Open(temp.File("cves.zip"), ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(KnowledgeFixtures.File("cve/2021/44xxx/CVE-2021-44228.json"), "cvelistV5-main/cves/2021/44xxx/CVE-2021-44228.json");
        }

        using (var gz = new GZipStream(File.Create(temp.File("attack.json.gz")), CompressionLevel.Fastest))
        {
            gz.Write(File.ReadAllBytes(KnowledgeFixtures.File("attack-cut.json")));
        }

        using var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var reports = new KnowledgeImporter(kb).Import([temp.File("cves.zip"), temp.File("attack.json.gz")]);
        Assert.Equal(["attack-stix", "cve-json-5"], reports.Select(r => r.Format));
        Assert.NotNull(kb.Get("CVE-2021-44228"));
        Assert.Equal("PowerShell", kb.Get("T1059.001")!.Name);
    }

    [Fact]
    public void A_truncated_bundle_keeps_the_objects_before_the_cut_and_reports_where()
    {
        using var temp = new TempDirectory();
        var text = File.ReadAllText(KnowledgeFixtures.File("attack-cut.json"));
        File.WriteAllText(temp.File("truncated.json"), text[..(text.Length / 2)]);
        using var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var report = Assert.Single(new KnowledgeImporter(kb).Import([temp.File("truncated.json")]));
        Assert.True(report.Entities > 0);
        Assert.Contains(report.Failures, f => f.Contains("truncated", StringComparison.Ordinal) || f.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Bm25_search_finds_by_words_filters_by_type_and_skips_revoked_entities()
    {
        using var temp = new TempDirectory();
        var (kb, _) = Build(temp);
        using (kb)
        {
            var hits = kb.Search("PowerShell scripts", SearchMode.Bm25, 5);
            Assert.Equal("T1059.001", hits[0].Id);
            Assert.All(kb.Search("log4j JNDI", SearchMode.Bm25, 5, type: "kev"), h => Assert.Equal("kev", h.Type));
            Assert.Contains(kb.Search("log4j JNDI", SearchMode.Bm25, 5), h => h.Id == "CVE-2021-44228");
            Assert.DoesNotContain(kb.Search("indicator removal network share connection", SearchMode.Bm25, 20), h => h.Id == "T1126");
            Assert.Empty(kb.Search("\"*) ( ^ :", SearchMode.Bm25, 5));
            Assert.NotEmpty(kb.Search("NEAR(powershell) OR \"scripts", SearchMode.Bm25, 5));
        }
    }

    [Fact]
    public void Hybrid_search_fuses_bm25_with_minilm_vectors()
    {
        using var temp = new TempDirectory();
        var (kb, _) = Build(temp);
        using (kb)
        {
            var added = KnowledgeVectors.Update(kb);
            Assert.Equal(kb.All().Count(), added);
            Assert.Equal(0, KnowledgeVectors.Update(kb));

            // No word of this query is in the PowerShell technique, so BM25 cannot find it; the vectors can.
            const string Query = "malicious scripting shell on Windows hosts";
            var vector = kb.Search(Query, SearchMode.Vector, 5, type: "technique", embed: KnowledgeVectors.Embed);
            Assert.Contains(vector, h => h.Id is "T1059.001" or "T1059");
            var hybrid = kb.Search(Query, SearchMode.Hybrid, 5, embed: KnowledgeVectors.Embed);
            Assert.Contains(hybrid, h => h.Id is "T1059.001" or "T1059");
        }
    }

    [Fact]
    public void Export_writes_documents_the_corpus_jsonl_reader_reads()
    {
        using var temp = new TempDirectory();
        var (kb, _) = Build(temp);
        using (kb)
        {
            var count = KnowledgeExporter.Export(kb, temp.File("docs.jsonl.gz"));
            Assert.Equal(kb.All().Count(), count);
            Assert.False(File.Exists(temp.File("docs.jsonl.gz.partial")));
            var records = JsonlDocumentReader.Read(temp.File("docs.jsonl.gz"), new SourceOptions()).ToList();
            Assert.Equal(count, records.Count);
            Assert.All(records, r => Assert.Null(r.Failure));
            var powershell = records.Single(r => r.Id == "T1059.001");
            Assert.StartsWith("# T1059.001: PowerShell", powershell.Text, StringComparison.Ordinal);
            Assert.Contains("- used by G0016 (APT29)", powershell.Text, StringComparison.Ordinal);
            Assert.Contains("- subtechnique-of T1059 (Command and Scripting Interpreter)", powershell.Text, StringComparison.Ordinal);
            Assert.Contains("Revoked: replaced by T1070.005", records.Single(r => r.Id == "T1126").Text, StringComparison.Ordinal);

            KnowledgeExporter.Export(kb, temp.File("docs.jsonl.zst"));
            Assert.Equal(count, JsonlDocumentReader.Read(temp.File("docs.jsonl.zst"), new SourceOptions()).Count(r => r.Failure is null));
        }
    }
}
