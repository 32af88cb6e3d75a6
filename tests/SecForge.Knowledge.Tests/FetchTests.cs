using System.Text.Json.Nodes;
using SecForge.Knowledge.Fetch;
using SecForge.Knowledge.Store;
using SecForge.Testing;

namespace SecForge.Knowledge.Tests;

public sealed class FetchTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>An NVD API page of <paramref name="size"/> generated CVEs out of <paramref name="total"/>.</summary>
    private static string NvdPage(int start, int size, int total) => new JsonObject
    {
        ["resultsPerPage"] = size,
        ["startIndex"] = start,
        ["totalResults"] = total,
        ["format"] = "NVD_CVE",
        ["version"] = "2.0",
        ["vulnerabilities"] = new JsonArray(Enumerable.Range(start, Math.Max(0, Math.Min(size, total - start))).Select(i => (JsonNode)new JsonObject
        {
            ["cve"] = new JsonObject
            {
                ["id"] = $"CVE-2099-{1000 + i}",
                ["vulnStatus"] = "Analyzed",
                ["descriptions"] = new JsonArray(new JsonObject { ["lang"] = "en", ["value"] = $"Generated test vulnerability {i}." }),
                ["weaknesses"] = new JsonArray(new JsonObject { ["source"] = "nvd@nist.gov", ["type"] = "Primary", ["description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["value"] = "CWE-79" }) }),
            },
        }).ToArray()),
    }.ToJsonString();

    [Fact]
    public async Task Fetch_downloads_imports_and_then_asks_only_for_what_changed()
    {
        var pages = new Dictionary<string, SitePage>(StringComparer.Ordinal)
        {
            ["/kev.json"] = new(File.ReadAllText(KnowledgeFixtures.File("kev-cut.json")), "application/json", ETag: "\"kev-1\""),
            ["/attack/enterprise-attack.json"] = new(File.ReadAllText(KnowledgeFixtures.File("attack-cut.json")), "application/json"),
        };
        await using var site = await LoopbackSite.StartAsync(pages, Token);
        site.Dynamic = context =>
        {
            if (context.Request.Path != "/nvd")
            {
                return null;
            }

            var start = int.Parse(context.Request.Query["startIndex"]!, System.Globalization.CultureInfo.InvariantCulture);
            var incremental = context.Request.Query.ContainsKey("lastModStartDate");
            return new SitePage(NvdPage(start, int.Parse(context.Request.Query["resultsPerPage"]!, System.Globalization.CultureInfo.InvariantCulture), incremental ? 1 : 5), "application/json");
        };

        using var temp = new TempDirectory();
        using var kb = KnowledgeBase.Open(temp.File("kb.sqlite"));
        var options = new FetchOptions
        {
            CacheDirectory = temp.File("sources"),
            Urls = new Dictionary<string, string> { ["kev"] = site.Url("/kev.json").AbsoluteUri, ["attack"] = site.Url("/attack").AbsoluteUri, ["nvd"] = site.Url("/nvd").AbsoluteUri },
            NvdApiKey = "test-key",
            NvdDelay = TimeSpan.FromMilliseconds(10),
            NvdPageSize = 2,
        };

        List<FetchResult> first;
        using (var fetcher = new KnowledgeFetcher(kb, options))
        {
            first = await fetcher.FetchAsync(["kev", "attack", "nvd"], null, Token);
        }

        Assert.Equal("kev.json downloaded and imported", first[0].Outcome);
        Assert.NotNull(kb.Get("kev:CVE-2021-44228"));
        Assert.Contains("enterprise-attack.json downloaded and imported", first[1].Outcome, StringComparison.Ordinal);
        Assert.Contains("mobile-attack.json failed: HTTP 404", first[1].Outcome, StringComparison.Ordinal);
        Assert.Equal("PowerShell", kb.Get("T1059.001")!.Name);
        Assert.StartsWith("5 CVEs in 3 pages (full)", first[2].Outcome, StringComparison.Ordinal);
        Assert.NotNull(kb.Get("CVE-2099-1004"));
        Assert.All(site.Log.Where(l => l.Path.StartsWith("/nvd", StringComparison.Ordinal)), l => Assert.Equal("test-key", l.ApiKey));

        site.Log.Clear();
        List<FetchResult> second;
        using (var fetcher = new KnowledgeFetcher(kb, options))
        {
            second = await fetcher.FetchAsync(["kev", "attack", "nvd"], null, Token);
        }

        Assert.Contains("not modified", second[0].Outcome, StringComparison.Ordinal);
        Assert.Contains(site.Log, l => l.Path == "/kev.json" && l.IfNoneMatch == "\"kev-1\"");
        Assert.Contains("enterprise-attack.json unchanged (same SHA-256)", second[1].Outcome, StringComparison.Ordinal);
        Assert.Contains("changes since", second[2].Outcome, StringComparison.Ordinal);
        Assert.All(site.Log.Where(l => l.Path.StartsWith("/nvd", StringComparison.Ordinal)), l => Assert.Contains("lastModStartDate=", l.Path, StringComparison.Ordinal));
        var state = JsonNode.Parse(File.ReadAllText(temp.File("sources/fetch.json")))!;
        Assert.Matches("^[0-9a-f]{64}$", state[$"kev {options.Urls["kev"]}"]!["sha256"]!.GetValue<string>());
    }
}
