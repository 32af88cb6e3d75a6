using System.Security.Cryptography;
using System.Text;

namespace SecForge.Core.Hashing;

/// <summary>Stable content hashes: SHA-256 where collisions must not happen (cache keys), xxHash64 where speed matters.</summary>
public static class ContentHash
{
    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Sha256Hex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 4096)
        {
            Span<byte> buffer = stackalloc byte[max];
            var count = Encoding.UTF8.GetBytes(text, buffer);
            return Sha256Hex(buffer[..count]);
        }

        return Sha256Hex(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>xxHash64 of <paramref name="bytes"/> with <paramref name="seed"/>.</summary>
    public static ulong XxHash64(ReadOnlySpan<byte> bytes, long seed = 0) => System.IO.Hashing.XxHash64.HashToUInt64(bytes, seed);

    /// <summary>xxHash64 of the UTF-16 code units of <paramref name="text"/>; stable across runs and machines.</summary>
    public static ulong XxHash64(ReadOnlySpan<char> text, long seed = 0) =>
        System.IO.Hashing.XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text), seed);

    /// <summary>CRC-32 of <paramref name="bytes"/>, for integrity checks of written shards.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes) => System.IO.Hashing.Crc32.HashToUInt32(bytes);
}
