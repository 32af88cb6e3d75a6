using System.Text.Json.Nodes;
using SecForge.Core.Running;

namespace SecForge.Core.Tests.Running;

public sealed class RunManifestTests
{
    private static RunManifest Eval(JsonObject settings, int seed = 1) => new() { Kind = "eval", Seed = seed, Settings = settings };

    [Fact]
    public void TheFingerprint_IgnoresKeyOrder_ButNotValuesKindOrSeed()
    {
        var a = Eval(new JsonObject { ["model"] = "m", ["tasks"] = new JsonArray("x", "y"), ["limits"] = new JsonObject { ["a"] = 1, ["b"] = 2 } });
        var b = Eval(new JsonObject { ["limits"] = new JsonObject { ["b"] = 2, ["a"] = 1 }, ["tasks"] = new JsonArray("x", "y"), ["model"] = "m" });
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, Eval(new JsonObject { ["model"] = "n", ["tasks"] = new JsonArray("x", "y"), ["limits"] = new JsonObject { ["a"] = 1, ["b"] = 2 } }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Eval(new JsonObject { ["model"] = "m", ["tasks"] = new JsonArray("y", "x"), ["limits"] = new JsonObject { ["a"] = 1, ["b"] = 2 } }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, (a with { Kind = "redteam" }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, (a with { Seed = 2 }).Fingerprint);
    }

    [Fact]
    public void Differences_NameEachChangedSetting_WithBeforeAndAfter()
    {
        var before = Eval(new JsonObject { ["model"] = "openai:a@http://x/v1", ["trials"] = 1, ["limit"] = 10 });
        var after = Eval(new JsonObject { ["model"] = "openai:b@http://x/v1", ["trials"] = 1, ["temperature"] = 0.3 }, seed: 2);
        var differences = after.DifferencesFrom(before);
        Assert.Equal(
            ["seed: 1 → 2", "limit: 10 → (none)", "model: \"openai:a@http://x/v1\" → \"openai:b@http://x/v1\"", "temperature: (none) → 0.3"],
            differences);
    }

    [Fact]
    public void TheManifest_RoundTripsThroughItsFile()
    {
        var manifest = Eval(new JsonObject { ["model"] = "m", ["nested"] = new JsonObject { ["k"] = "v" } }, seed: 7);
        var read = RunManifest.Parse(manifest.ToJson());
        Assert.NotNull(read);
        Assert.Equal(manifest.Fingerprint, read.Fingerprint);
        Assert.Equal(manifest.Created, read.Created);
        Assert.Equal(7, read.Seed);
        Assert.Null(RunManifest.Parse("{\"fingerprint\": \"abc\", \"run\": {}}"));
        Assert.Null(RunManifest.Parse("not json"));
    }
}
