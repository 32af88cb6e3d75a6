using SecForge.Core.IO;
using SecForge.Testing;

namespace SecForge.Core.Tests;

public sealed class AtomicFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailedWrite_LeavesTheOldFileAndNoTemporary()
    {
        using var directory = new TempDirectory();
        var path = directory.File("results.json");
        await AtomicFile.WriteAllTextAsync(path, "old", Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), ct);
            throw new InvalidOperationException("crash mid-write");
        }, Token));

        Assert.Equal("old", await File.ReadAllTextAsync(path, Token));
        Assert.Equal(["results.json"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AWrite_CreatesMissingDirectories()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "a", "b", "out.txt");
        await AtomicFile.WriteAllTextAsync(path, "x", Token);
        Assert.Equal("x", await File.ReadAllTextAsync(path, Token));
    }
}
