using System.IO.Compression;
using System.Text;
using SecForge.Core.IO;
using SecForge.Testing;

namespace SecForge.Core.Tests;

public sealed class JsonlTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record Row(int Id, string Text);

    [Fact]
    public async Task Writer_AppendsWholeLines_AndAReopenContinuesAfterThem()
    {
        using var directory = new TempDirectory();
        var path = directory.File("log.jsonl");
        await using (var writer = JsonlWriter.OpenAppend(path))
        {
            await writer.WriteAsync(new Row(1, "a"), Token);
        }

        await using (var writer = JsonlWriter.OpenAppend(path))
        {
            await writer.WriteAsync(new Row(2, "ü \"quoted\""), Token);
        }

        var rows = new List<Row>();
        await foreach (var record in JsonlReader.ReadAsync<Row>(path, cancellationToken: Token))
        {
            rows.Add(record.Value!);
        }

        Assert.Equal([new Row(1, "a"), new Row(2, "ü \"quoted\"")], rows);
        Assert.Equal("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"ü \\\"quoted\\\"\"}\n", await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task Reopening_CutsATornLastLineLeftByACrash()
    {
        using var directory = new TempDirectory();
        var path = directory.File("log.jsonl");
        await File.WriteAllTextAsync(path, "{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"te", Token);

        await using (var writer = JsonlWriter.OpenAppend(path))
        {
            await writer.WriteAsync(new Row(3, "c"), Token);
        }

        Assert.Equal("{\"id\":1,\"text\":\"a\"}\n{\"id\":3,\"text\":\"c\"}\n", await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task Writer_IsSafeFromManyThreads()
    {
        using var directory = new TempDirectory();
        var path = directory.File("log.jsonl");
        await using (var writer = JsonlWriter.OpenAppend(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => writer.WriteAsync(new Row(i, new string('x', i)), Token).AsTask()));
        }

        var ids = new List<int>();
        await foreach (var record in JsonlReader.ReadAsync<Row>(path, cancellationToken: Token))
        {
            Assert.True(record.IsValid);
            ids.Add(record.Value!.Id);
        }

        Assert.Equal(Enumerable.Range(0, 200), ids.Order());
    }

    [Fact]
    public async Task Reader_ReportsABadLineWithItsNumberAndCarriesOn()
    {
        using var directory = new TempDirectory();
        var path = directory.File("data.jsonl");
        await File.WriteAllTextAsync(path, "{\"id\":1,\"text\":\"a\"}\n\n{broken\n{\"id\":4,\"text\":\"d\"}\n", Token);

        var records = new List<JsonlRecord<Row>>();
        await foreach (var record in JsonlReader.ReadAsync<Row>(path, cancellationToken: Token))
        {
            records.Add(record);
        }

        Assert.Equal([1L, 3L, 4L], records.Select(r => r.Line));
        Assert.False(records[1].IsValid);
        Assert.Contains("not valid JSON", records[1].Error, StringComparison.Ordinal);
        Assert.Equal(4, records[2].Value!.Id);
    }

    [Theory]
    [InlineData("data.jsonl.gz")]
    [InlineData("data.jsonl.zst")]
    public async Task Reader_DecompressesByExtension(string name)
    {
        using var directory = new TempDirectory();
        var path = directory.File(name);
        await using (var file = File.Create(path))
        await using (var stream = CompressedFile.WrapForWrite(file, CompressedFile.CompressionOf(path), leaveOpen: true))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"id\":7,\"text\":\"zipped\"}\n"), Token);
        }

        await foreach (var record in JsonlReader.ReadAsync<Row>(path, cancellationToken: Token))
        {
            Assert.Equal(new Row(7, "zipped"), record.Value);
        }

        Assert.NotEqual(CompressionLevel.NoCompression, CompressionLevel.Optimal);
    }
}
