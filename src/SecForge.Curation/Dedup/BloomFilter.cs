using System.Numerics;

namespace SecForge.Curation.Dedup;

/// <summary>
/// A Bloom filter over 64-bit hashes with double hashing (Kirsch–Mitzenmacher): fixed memory whatever the
/// corpus size, no false negatives, and a false-positive rate that <see cref="FalsePositiveRate"/> reports.
/// Not thread-safe (the dedup stage runs in corpus order on one thread).
/// </summary>
public sealed class BloomFilter
{
    private readonly ulong[] _bits;
    private readonly ulong _bitCount;

    public BloomFilter(long bytes, int hashCount = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        _bits = new ulong[bytes / 8];
        _bitCount = (ulong)_bits.Length * 64;
        HashCount = hashCount;
    }

    public int HashCount { get; }

    /// <summary>Items added.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of memory the filter holds.</summary>
    public long Bytes => _bits.LongLength * 8;

    /// <summary>The expected false-positive rate at the current fill.</summary>
    public double FalsePositiveRate => Math.Pow(1 - Math.Exp(-HashCount * (double)Count / _bitCount), HashCount);

    /// <summary>True when <paramref name="hash"/> may have been added (false: certainly not).</summary>
    public bool MightContain(ulong hash)
    {
        var (h1, h2) = Split(hash);
        for (var i = 0; i < HashCount; i++)
        {
            var bit = (h1 + ((ulong)i * h2)) % _bitCount;
            if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds <paramref name="hash"/>; returns true when it may have been present already.</summary>
    public bool Add(ulong hash)
    {
        var (h1, h2) = Split(hash);
        var present = true;
        for (var i = 0; i < HashCount; i++)
        {
            var bit = (h1 + ((ulong)i * h2)) % _bitCount;
            ref var word = ref _bits[bit >> 6];
            var mask = 1UL << (int)(bit & 63);
            if ((word & mask) == 0)
            {
                present = false;
                word |= mask;
            }
        }

        if (!present)
        {
            Count++;
        }

        return present;
    }

    private static (ulong H1, ulong H2) Split(ulong hash)
    {
        var h2 = BitOperations.RotateLeft(hash * 0x9E3779B97F4A7C15UL, 31) | 1;
        return (hash, h2);
    }
}
