using System.IO.Compression;
using System.Text;
using SecForge.Knowledge.Stix;
using SecForge.Testing;

namespace SecForge.Knowledge.Tests;

public sealed class StixBundleReaderTests
{
    private static string Cut => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Fixtures", "attack-cut.json");

    private static List<StixRead> ReadText(string json) => StixBundleReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))).ToList();

    [Fact]
    public void Reads_every_object_of_a_real_bundle_plain_and_gzipped()
    {
        var plain = StixBundleReader.ReadFile(Cut).ToList();
        Assert.Equal(17, plain.Count);
        Assert.All(plain, r => Assert.True(r.Ok, r.Error));

        using var temp = new TempDirectory();
        using (var gz = new GZipStream(File.Create(temp.File("cut.json.gz")), CompressionLevel.Fastest))
        {
            gz.Write(File.ReadAllBytes(Cut));
        }

        Assert.Equal(plain.Select(r => r.Object!.Value.GetProperty("id").GetString()), StixBundleReader.ReadFile(temp.File("cut.json.gz")).Select(r => r.Object!.Value.GetProperty("id").GetString()));
    }

    [Fact]
    public void Objects_larger_than_the_buffer_and_properties_after_the_list_are_read()
    {
        var big = new string('x', 600_000);
        var reads = ReadText($$"""{"type": "bundle", "id": "bundle--1", "objects": [{"type": "x", "id": "a", "description": "{{big}}"}, 7, {"type": "y", "id": "b"}], "spec_version": "2.0"}""");
        Assert.Equal(3, reads.Count);
        Assert.Equal(big, reads[0].Object!.Value.GetProperty("description").GetString());
        Assert.False(reads[1].Ok);
        Assert.Contains("objects[1] is not a JSON object", reads[1].Error, StringComparison.Ordinal);
        Assert.Equal("b", reads[2].Object!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public void A_truncated_bundle_keeps_what_was_read_and_ends_with_one_fatal_entry()
    {
        var text = File.ReadAllText(Cut);
        var reads = ReadText(text[..(text.Length * 2 / 3)]);
        Assert.True(reads.Count(r => r.Ok) is > 5 and < 17);
        var last = reads[^1];
        Assert.True(last.Fatal);
        Assert.Single(reads, r => r.Fatal);
    }

    [Theory]
    [InlineData("[1, 2, 3]", "expected a JSON object")]
    [InlineData("{\"type\": \"bundle\", \"id\": \"bundle--1\"}", "no 'objects' list")]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("", "the file is empty")]
    public void A_file_that_is_not_a_bundle_is_one_fatal_entry_saying_why(string text, string reason)
    {
        var reads = ReadText(text);
        var fatal = Assert.Single(reads);
        Assert.True(fatal.Fatal);
        Assert.Contains(reason, fatal.Error, StringComparison.Ordinal);
    }
}

public sealed class AttackCatalogTests
{
    private static string Cut => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Fixtures", "attack-cut.json");

    [Fact]
    public void Techniques_groups_software_mitigations_and_their_relations_from_real_objects()
    {
        var catalog = new AttackCatalog();
        catalog.AddFile(Cut);
        Assert.Empty(catalog.Failures);

        var powershell = catalog.Find("T1059.001")!;
        Assert.Equal(StixKind.Technique, powershell.Kind);
        Assert.Equal("PowerShell", powershell.Name);
        Assert.True(powershell.IsSubtechnique);
        Assert.Contains("execution", powershell.Tactics);
        Assert.Contains("Windows", powershell.Platforms);
        Assert.Equal("T1059", Assert.Single(catalog.Related(powershell, "subtechnique-of")).ExternalId);
        Assert.Contains(catalog.Related(catalog.Find("M1042")!, "mitigates"), t => t.ExternalId == "T1059.001");

        Assert.Equal(StixKind.Tactic, catalog.Find("TA0002")!.Kind);
        Assert.Equal(StixKind.Group, catalog.Find("G0016")!.Kind);
        Assert.Contains("Cozy Bear", catalog.Find("G0016")!.Aliases);
        Assert.Equal(StixKind.Software, catalog.Find("S0002")!.Kind);
        Assert.Contains(catalog.Related(catalog.Find("G0016")!, "uses"), e => e.ExternalId is "S0002" or "T1059.001");
    }

    [Fact]
    public void A_revoked_technique_resolves_to_its_replacement()
    {
        var catalog = new AttackCatalog();
        catalog.AddFile(Cut);
        var revoked = catalog.Entities.Single(e => e.Revoked);
        Assert.Equal("T1126", revoked.ExternalId);
        var current = catalog.Current(revoked);
        Assert.False(current.Revoked);
        Assert.Equal("T1070.005", current.ExternalId);
        Assert.Equal("T1070.005", catalog.Find("T1126")!.ExternalId);
    }

    [Fact]
    public void The_whole_shared_bundles_give_the_counts_their_readme_states()
    {
        var folder = RepositoryPaths.SharedDataFolder("security-sources");
        Assert.SkipWhen(folder is null, "../shared/data/security-sources is not here");
        var enterprise = new AttackCatalog();
        enterprise.AddFile(Path.Combine(folder!, "enterprise-attack.json.gz"));
        Assert.Empty(enterprise.Failures);
        Assert.Equal(835, enterprise.Entities.Count(e => e.Kind == StixKind.Technique));
        Assert.Equal(14, enterprise.Entities.Count(e => e.Kind == StixKind.Tactic));
        Assert.Equal(187, enterprise.Entities.Count(e => e.Kind == StixKind.Group));
        Assert.Equal(696 + 91, enterprise.Entities.Count(e => e.Kind == StixKind.Software));
        Assert.Equal(52, enterprise.Entities.Count(e => e.Kind == StixKind.Campaign));
        Assert.Equal(268, enterprise.Entities.Count(e => e.Kind == StixKind.Mitigation));
        Assert.Equal(109, enterprise.Entities.Count(e => e.Kind == StixKind.DataComponent));
        Assert.Equal(20_048, enterprise.Relationships.Count);
        Assert.Equal("Command and Scripting Interpreter", enterprise.Find("T1059")!.Name);

        var capec = new AttackCatalog();
        capec.AddFile(Path.Combine(folder!, "capec.json.gz"));
        Assert.Empty(capec.Failures);
        Assert.Equal(615, capec.Entities.Count(e => e.Kind == StixKind.AttackPattern));
        Assert.Equal(884, capec.Entities.Count(e => e.Kind == StixKind.Mitigation));
        Assert.Contains("CWE-", string.Join(" ", capec.Find("CAPEC-66")!.References), StringComparison.Ordinal);

        foreach (var domain in new[] { "mobile-attack.json.gz", "ics-attack.json.gz" })
        {
            var catalog = new AttackCatalog();
            catalog.AddFile(Path.Combine(folder!, domain));
            Assert.Empty(catalog.Failures);
            Assert.Contains(catalog.Entities, e => e.Kind == StixKind.Technique && e.ExternalId is not null);
        }
    }
}
