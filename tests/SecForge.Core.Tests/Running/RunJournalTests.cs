using System.Text;
using SecForge.Core.Running;
using SecForge.Testing;

namespace SecForge.Core.Tests.Running;

public sealed class RunJournalTests
{
    private sealed record Entry(string Id, string? Error = null, int Value = 0);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATornLastLine_IsCut_AMalformedLineCounted_AndTheLatestEntryOfAKeyWins()
    {
        using var temp = new TempDirectory();
        var path = temp.File("log.jsonl");
        File.WriteAllText(path, """
            {"id":"a","error":"HTTP 500"}
            {"id":"b","value":1}
            not json at all
            {"id":"a","value":2}
            {"id":"c","value":3}
            {"id":"c","error":"timed out"}
            {"id":"d","val
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        await using (var journal = await RunJournal.OpenAsync<Entry>(path, e => e.Id, e => e.Error is null, cancellationToken: Token))
        {
            Assert.Equal(["a", "b"], journal.Finished.Order(StringComparer.Ordinal));
            Assert.Equal(5, journal.ExistingEntries);
            Assert.Equal(1, journal.Malformed);
            Assert.Equal(Encoding.UTF8.GetByteCount("{\"id\":\"d\",\"val"), journal.RepairedBytes);
            await journal.AppendAsync(new Entry("c", Value: 4), Token);
            Assert.Equal(1, journal.Appended);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("{\"id\":\"c\",\"value\":4}", lines[^1]);
        await using var reopened = await RunJournal.OpenAsync<Entry>(path, e => e.Id, e => e.Error is null, cancellationToken: Token);
        Assert.Equal(["a", "b", "c"], reopened.Finished.Order(StringComparer.Ordinal));
        Assert.Equal(0, reopened.RepairedBytes);
    }

    [Fact]
    public async Task Reading_NeverChangesTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("log.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\"}\n{\"id\":\"b\"");
        var entries = new List<Entry>();
        await foreach (var entry in RunJournal.ReadAsync<Entry>(path, cancellationToken: Token))
        {
            entries.Add(entry);
        }

        Assert.Equal(["a"], entries.Select(e => e.Id));
        Assert.EndsWith("{\"id\":\"b\"", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
