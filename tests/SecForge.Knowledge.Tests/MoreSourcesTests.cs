using System.IO.Compression;
using SecForge.Knowledge.Cwe;
using SecForge.Knowledge.Import;
using SecForge.Knowledge.Store;
using SecForge.Testing;

namespace SecForge.Knowledge.Tests;

public sealed class MoreSourcesTests
{
    [Fact]
    public void The_cwe_xml_gives_weaknesses_categories_views_their_relations_and_mapping_guidance()
    {
        using var stream = File.OpenRead(KnowledgeFixtures.File("cwe/cwec-cut.xml"));
        var catalog = new CweCatalogReader.Catalog();
        var reads = CweCatalogReader.Read(stream, catalog).ToList();
        Assert.Equal("4.99-test", catalog.Version);
        var entries = reads.Where(r => r.Entry is not null).Select(r => r.Entry!).ToList();
        Assert.Equal(["CWE-79", "CWE-89", "CWE-20", "CWE-1409", "CWE-1000"], entries.Select(e => e.Id));
        Assert.Contains("without a numeric ID", Assert.Single(reads, r => r.Entry is null).Error, StringComparison.Ordinal);
        var xss = entries[0];
        Assert.Equal("Allowed", xss.MappingUsage);
        Assert.Contains("runs in the victim's browser", xss.Description, StringComparison.Ordinal);
        Assert.Contains(new CweRelation("ChildOf", "CWE-74", "1000"), xss.Relations);
        Assert.Contains(new CweRelation("RelatedAttackPattern", "CAPEC-63", null), xss.Relations);
        Assert.Equal("Discouraged", entries[2].MappingUsage);
        Assert.Equal(CweKind.Category, entries[3].Kind);
        Assert.Equal(2, entries[3].Relations.Count(r => r.Nature == "HasMember"));
    }

    [Theory]
    [InlineData("#model_version:v2025.03.14,score_date:2026-04-23T12:55:00Z\ncve,epss,percentile\nCVE-2021-40438,5e-05,0.02318\n", 0.00005, "2026-04-23T12:55:00Z")]
    [InlineData("#model_version:v2023.03.01,score_date:2024-01-15T00:00:00+0000\ncve,epss,percentile\nCVE-2021-40438,0.97565,0.99996\n", 0.97565, "2024-01-15T00:00:00+0000")]
    [InlineData("cve,epss\nCVE-2021-40438,0.02\n", 0.02, "")]
    public void Every_generation_of_the_epss_csv_is_read(string csv, double score, string date)
    {
        var failures = new List<string>();
        var header = new SecForge.Knowledge.Epss.EpssReader.Header();
        var read = Assert.Single(SecForge.Knowledge.Epss.EpssReader.Read(new StringReader(csv), failures, header).ToList());
        Assert.Empty(failures);
        Assert.Equal(("CVE-2021-40438", score), (read.CveId, read.Epss));
        Assert.Equal(date, header.ScoreDate);
    }

    [Fact]
    public void An_entity_expansion_bomb_is_one_fatal_failure_not_a_hang()
    {
        using var stream = File.OpenRead(KnowledgeFixtures.File("cwe/entity-bomb.xml"));
        var read = Assert.Single(CweCatalogReader.Read(stream));
        Assert.True(read.Fatal);
        Assert.Contains("DTD", read.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cwe_epss_nvd_and_osv_import_with_their_relations_and_counted_failures()
    {
        using var temp = new TempDirectory();
        using (var zip = ZipFile.Open(temp.File("cwec_latest.xml.zip"), ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(KnowledgeFixtures.File("cwe/cwec-cut.xml"), "cwec_v4.99.xml");
        }

        using (var gz = new GZipStream(File.Create(temp.File("epss_scores-2099-01-01.csv.gz")), CompressionLevel.Fastest))
        {
            gz.Write(File.ReadAllBytes(KnowledgeFixtures.File("epss/epss-cut.csv")));
        }

        using var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var reports = new KnowledgeImporter(kb).Import([
            temp.File("cwec_latest.xml.zip"), temp.File("epss_scores-2099-01-01.csv.gz"), KnowledgeFixtures.File("nvd/nvd-cut.json"),
            KnowledgeFixtures.File("osv"), KnowledgeFixtures.File("cwe/entity-bomb.xml"), KnowledgeFixtures.File("attack-cut.json")]);
        var byFormat = reports.ToDictionary(r => r.File, r => r);

        var cwe = byFormat["cwec_latest.xml.zip!cwec_v4.99.xml"];
        Assert.Equal(("cwe-xml", "4.99-test", 5L, 1), (cwe.Format, cwe.Version, cwe.Entities, cwe.Failures.Count));
        Assert.Equal("cwe", kb.Get("CWE-79")!.Type);
        Assert.Contains("\"mapping_usage\":\"Discouraged\"", kb.Get("CWE-20")!.Data, StringComparison.Ordinal);
        Assert.Contains(kb.Related("CWE-79"), r => r is { Relation: "child-of", Id: "CWE-74" });
        Assert.Contains(kb.Related("CWE-79"), r => r is { Relation: "has-member", Direction: "in", Id: "CWE-1409" });

        var epss = byFormat["epss_scores-2099-01-01.csv.gz"];
        Assert.Equal(("epss-csv", 3L, 2), (epss.Format, epss.Entities, epss.Failures.Count));
        Assert.Contains("line 5", epss.Failures[0], StringComparison.Ordinal);
        Assert.Contains(kb.Related("CVE-2021-44228"), r => r is { Relation: "epss-score", Id: "epss:CVE-2021-44228" });
        Assert.Contains("\"epss\":0.944", kb.Get("epss:CVE-2021-44228")!.Data, StringComparison.Ordinal);

        var nvd = byFormat["nvd-cut.json"];
        Assert.Equal(("nvd-api-2.0", 1L, 1), (nvd.Format, nvd.Entities, nvd.Failures.Count));
        Assert.Contains("CWE-917", kb.Related("CVE-2021-44228").Select(r => r.Id));
        Assert.Contains("nvd@nist.gov (Primary)", kb.Get("CVE-2021-44228")!.Data, StringComparison.Ordinal);

        Assert.Equal(1, byFormat["OSV records"].Entities);
        var advisory = kb.Get("GHSA-jfh8-c2jp-5v3q")!;
        Assert.Equal(("advisory", "Remote code injection in Log4j"), (advisory.Type, advisory.Name));
        Assert.Contains(kb.Related("CVE-2021-44228"), r => r is { Relation: "advisory-for", Direction: "in", Id: "GHSA-jfh8-c2jp-5v3q" });
        Assert.Contains("org.apache.logging.log4j:log4j-core", advisory.Data, StringComparison.Ordinal);

        Assert.Contains("DTD", Assert.Single(byFormat["entity-bomb.xml"].Failures), StringComparison.Ordinal);
        Assert.Contains(kb.Related("CAPEC-63"), r => r is { Relation: "related-attack-pattern", Direction: "in", Id: "CWE-79" });
    }
}
