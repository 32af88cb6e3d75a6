using System.Text.Json.Nodes;
using SecForge.Core.Errors;
using SecForge.Core.Running;
using SecForge.Testing;

namespace SecForge.Core.Tests.Running;

public sealed class RunDirectoryTests
{
    private static RunManifest Manifest(string model, string kind = "eval") => new() { Kind = kind, Seed = 1, Settings = new JsonObject { ["model"] = model } };

    [Fact]
    public void ANewDirectory_GetsItsManifest_AndTheSameSettingsResumeIt()
    {
        using var temp = new TempDirectory();
        var path = temp.File("run");
        DateTimeOffset created;
        using (var first = RunDirectory.Open(path, Manifest("a"), "log.jsonl"))
        {
            Assert.False(first.Resumed);
            Assert.True(File.Exists(Path.Combine(path, RunManifest.FileName)));
            created = first.Manifest.Created;
            File.WriteAllText(first.File("log.jsonl"), "{}\n");
        }

        using var second = RunDirectory.Open(path, Manifest("a") with { Created = DateTimeOffset.UtcNow.AddDays(1) }, "log.jsonl");
        Assert.True(second.Resumed);
        Assert.Equal(created, second.Manifest.Created);
    }

    [Fact]
    public void OtherSettings_AreRefusedWhereWorkWasDone_NamingWhatDiffers()
    {
        using var temp = new TempDirectory();
        var path = temp.File("run");
        using (var run = RunDirectory.Open(path, Manifest("openai:first@http://127.0.0.1:1/v1"), "attempts.jsonl"))
        {
            File.WriteAllText(run.File("attempts.jsonl"), "{}\n");
        }

        var refused = Assert.Throws<InputException>(() => RunDirectory.Open(path, Manifest("openai:second@http://127.0.0.1:1/v1"), "attempts.jsonl"));
        Assert.Contains("model: \"openai:first@http://127.0.0.1:1/v1\" → \"openai:second@http://127.0.0.1:1/v1\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains("choose another --output", refused.Message, StringComparison.Ordinal);

        var otherKind = Assert.Throws<InputException>(() => RunDirectory.Open(path, Manifest("openai:first@http://127.0.0.1:1/v1", "align"), "attempts.jsonl"));
        Assert.Contains("holds an eval run, not an align run", otherKind.Message, StringComparison.Ordinal);

        // The refused opens released their lock: the right settings still open it.
        using var resumed = RunDirectory.Open(path, Manifest("openai:first@http://127.0.0.1:1/v1"), "attempts.jsonl");
        Assert.True(resumed.Resumed);
    }

    [Fact]
    public void OtherSettings_TakeOverADirectoryWithoutWork()
    {
        using var temp = new TempDirectory();
        var path = temp.File("run");
        using (RunDirectory.Open(path, Manifest("a"), "log.jsonl"))
        {
        }

        using var run = RunDirectory.Open(path, Manifest("b"), "log.jsonl");
        Assert.False(run.Resumed);
        Assert.Equal(Manifest("b").Fingerprint, RunManifest.Parse(File.ReadAllText(run.File(RunManifest.FileName)))!.Fingerprint);
    }

    [Fact]
    public void WorkWithoutAReadableManifest_IsNeverMixedIn()
    {
        using var temp = new TempDirectory();
        var path = temp.File("run");
        Directory.CreateDirectory(Path.Combine(path, "work", "stage1"));
        File.WriteAllText(Path.Combine(path, "work", "stage1", "shard-00000.done.json"), "{}");
        var unknown = Assert.Throws<InputException>(() => RunDirectory.Open(path, Manifest("a", "corpus"), Path.Combine("work", "stage1")));
        Assert.Contains("unknown run", unknown.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(path, RunManifest.FileName), "{ torn");
        var unreadable = Assert.Throws<InputException>(() => RunDirectory.Open(path, Manifest("a", "corpus"), Path.Combine("work", "stage1")));
        Assert.Contains("unreadable", unreadable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoRunsIntoOneDirectory_TheSecondIsRefused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("run");
        using var first = RunDirectory.Open(path, Manifest("a"), "log.jsonl");
        var refused = Assert.Throws<InputException>(() => RunDirectory.Open(path, Manifest("a"), "log.jsonl"));
        Assert.Contains("is in use by process", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleTemporaries_AreRemoved_AndFinishedFilesKept()
    {
        using var temp = new TempDirectory();
        using var run = RunDirectory.Open(temp.File("run"), Manifest("a"));
        Directory.CreateDirectory(run.File("documents"));
        File.WriteAllText(run.File("documents/.docs-00000.jsonl.123.abc.tmp"), "half");
        File.WriteAllText(run.File("documents/docs-00000.jsonl"), "whole");
        File.WriteAllText(run.File(".results.json.9.def.tmp"), "half");
        run.RemoveStaleTemporaries("documents");
        Assert.Equal(["docs-00000.jsonl"], Directory.EnumerateFiles(run.File("documents")).Select(Path.GetFileName));
        Assert.False(File.Exists(run.File(".results.json.9.def.tmp")));
    }
}
