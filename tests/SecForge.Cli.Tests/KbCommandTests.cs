using System.Text.Json;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class KbCommandTests
{
    private static string Fixture(string name) => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Knowledge.Tests", "Fixtures", name);

    [Fact]
    public async Task Import_show_related_search_stats_and_export_from_the_command_line()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "import", Fixture("attack-cut.json"), Fixture("kev-cut.json"), Fixture("cve"), "--kb", "kb.sqlite", "--json");
        Assert.True(code == 0, $"exit {code}: {error}");
        var import = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, import.GetProperty("files").GetArrayLength());
        // 9 ATT&CK objects, 5 KEV entries with the 5 CVEs they name, and the rejected CVE record.
        Assert.Equal(20, import.GetProperty("vectors_added").GetInt32());
        Assert.Contains("CVE-2099-0002.json: containers", output, StringComparison.Ordinal);

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "show", "T1126", "--kb", "kb.sqlite", "--json");
        Assert.True(code == 0, error);
        var shown = JsonDocument.Parse(output).RootElement;
        Assert.Equal("T1070.005", shown.GetProperty("id").GetString());
        Assert.Equal("T1126", shown.GetProperty("asked").GetString());

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "show", "CVE-2021-44228", "--kb", "kb.sqlite", "--json");
        Assert.True(code == 0, error);
        shown = JsonDocument.Parse(output).RootElement;
        Assert.Equal(10, shown.GetProperty("data").GetProperty("cvss")[0].GetProperty("base_score").GetDouble());
        Assert.Contains(shown.GetProperty("relations").EnumerateArray(), r => r.GetProperty("id").GetString() == "kev:CVE-2021-44228");

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "related", "G0016", "--kb", "kb.sqlite");
        Assert.True(code == 0, error);
        Assert.Contains("T1059.001", output, StringComparison.Ordinal);

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "search", "powershell execution", "--kb", "kb.sqlite", "--json", "--limit", "3");
        Assert.True(code == 0, error);
        var hits = JsonDocument.Parse(output).RootElement;
        Assert.InRange(hits.GetArrayLength(), 1, 3);
        Assert.All(hits.EnumerateArray(), h => Assert.True(h.TryGetProperty("id", out _) && h.TryGetProperty("type", out _) && h.TryGetProperty("name", out _) && h.TryGetProperty("score", out _)));
        Assert.Equal("T1059.001", hits[0].GetProperty("id").GetString());

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "stats", "--kb", "kb.sqlite", "--json");
        Assert.True(code == 0, error);
        var stats = JsonDocument.Parse(output).RootElement;
        Assert.Equal(6, stats.GetProperty("entities").GetProperty("cve").GetInt32());
        Assert.Contains("kev-cut.json", stats.GetProperty("sources").ToString(), StringComparison.Ordinal);

        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "export", "--kb", "kb.sqlite", "--output", "docs.jsonl");
        Assert.True(code == 0, error);
        Assert.Contains("documents written", output, StringComparison.Ordinal);
        Assert.Contains(File.ReadLines(temp.File("docs.jsonl")), l => l.Contains("\"id\":\"CVE-2021-44228\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_from_a_mirror_then_again_without_downloading_an_unchanged_file()
    {
        var pages = new Dictionary<string, SitePage> { ["/kev.json"] = new(File.ReadAllText(Fixture("kev-cut.json")), "application/json", ETag: "\"1\"") };
        await using var site = await LoopbackSite.StartAsync(pages, TestContext.Current.CancellationToken);
        using var temp = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "fetch", "kev", "--kb", "kb.sqlite", "--url", "kev=" + site.Url("/kev.json"), "--no-vectors");
        Assert.True(code == 0, error);
        Assert.Contains("downloaded and imported", output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("kb.sqlite.sources/kev-kev.json")));
        (code, output, error) = await CliHarness.RunAsync(temp.Path, "kb", "fetch", "kev", "--kb", "kb.sqlite", "--url", "kev=" + site.Url("/kev.json"), "--no-vectors");
        Assert.True(code == 0, error);
        Assert.Contains("not modified", output, StringComparison.Ordinal);
        (code, _, error) = await CliHarness.RunAsync(temp.Path, "kb", "fetch", "kev,cpe", "--kb", "kb.sqlite");
        Assert.Equal(2, code);
        Assert.Contains("unknown source 'cpe'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ids_missing_knowledge_bases_and_files_of_no_known_format_are_exit_2_with_one_line()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(temp.Path, "kb", "show", "T1059", "--kb", "absent.sqlite");
        Assert.Equal(2, code);
        Assert.Contains("no knowledge base here", error, StringComparison.Ordinal);

        File.WriteAllText(temp.File("notes.json"), "{\"hello\": 1}");
        (code, _, error) = await CliHarness.RunAsync(temp.Path, "kb", "import", "notes.json", "--kb", "kb.sqlite", "--no-vectors");
        Assert.Equal(2, code);
        Assert.Contains("not a format the knowledge base reads", error, StringComparison.Ordinal);

        (code, _, error) = await CliHarness.RunAsync(temp.Path, "kb", "import", Fixture("attack-cut.json"), "--kb", "kb.sqlite", "--no-vectors");
        Assert.True(code == 0, error);
        (code, _, error) = await CliHarness.RunAsync(temp.Path, "kb", "show", "T9999", "--kb", "kb.sqlite");
        Assert.Equal(2, code);
        Assert.Contains("'T9999' is not in the knowledge base", error, StringComparison.Ordinal);
    }
}
