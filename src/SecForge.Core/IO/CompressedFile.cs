using System.IO.Compression;
using ZstdSharp;

namespace SecForge.Core.IO;

/// <summary>Opens plain, gzip (<c>.gz</c>) and Zstandard (<c>.zst</c>) files by their extension.</summary>
public static class CompressedFile
{
    /// <summary>The compression a path's extension implies.</summary>
    public static Compression CompressionOf(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Compression.Gzip
        : path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".zstd", StringComparison.OrdinalIgnoreCase) ? Compression.Zstd
        : Compression.None;

    /// <summary>Opens <paramref name="path"/> for reading, decompressing on the fly.</summary>
    public static Stream OpenRead(string path, int bufferSize = 1 << 16)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        return WrapForRead(file, CompressionOf(path));
    }

    /// <summary>Wraps <paramref name="stream"/> in a decompressor.</summary>
    public static Stream WrapForRead(Stream stream, Compression compression) => compression switch
    {
        Compression.Gzip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false),
        Compression.Zstd => new DecompressionStream(stream, leaveOpen: false),
        _ => stream,
    };

    /// <summary>Wraps <paramref name="stream"/> in a compressor.</summary>
    public static Stream WrapForWrite(Stream stream, Compression compression, bool leaveOpen = false) => compression switch
    {
        Compression.Gzip => new GZipStream(stream, CompressionLevel.Optimal, leaveOpen),
        Compression.Zstd => new CompressionStream(stream, level: 3, leaveOpen: leaveOpen),
        _ => stream,
    };
}

/// <summary>A stream compression format.</summary>
public enum Compression
{
    None,
    Gzip,
    Zstd,
}
