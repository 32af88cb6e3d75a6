using SecForge.Core.IO;

namespace SecForge.Core.Tests;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1000, "1,000 bytes")]
    [InlineData(512 * 1024, "512 KiB")]
    [InlineData(1024 * 1024, "1 MiB")]
    [InlineData(16 * 1024 * 1024, "16 MiB")]
    [InlineData(1536L * 1024 * 1024, "1.5 GiB")]
    public void SizesAreWrittenInTheLargestWholeUnit_NeverAsZeroMegabytes(long bytes, string expected) =>
        Assert.Equal(expected, ByteSize.Format(bytes));
}
