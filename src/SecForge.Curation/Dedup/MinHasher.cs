using System.Numerics;
using System.Runtime.InteropServices;
using SecForge.Core.Hashing;
using SecForge.Core.Randomness;

namespace SecForge.Curation.Dedup;

/// <summary>
/// MinHash signatures over word n-gram shingles (FineWeb's defaults: 5-grams, 112 permutations as 14 bands of
/// 8 rows), with seeded universal hash permutations h(x) = a·x + b (mod 2³²) evaluated many lanes at a time.
/// Two documents with Jaccard similarity s share at least one band with probability 1 − (1 − s⁸)¹⁴
/// (≈ 0.92 at s = 0.8, ≈ 0.01 at s = 0.5).
/// </summary>
public sealed class MinHasher
{
    private readonly uint[] _a;
    private readonly uint[] _b;

    public MinHasher(int ngram = 5, int bands = 14, int rows = 8, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ngram, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        Ngram = ngram;
        Bands = bands;
        Rows = rows;
        var random = new SplitMix64((ulong)seed);
        var permutations = bands * rows;
        _a = new uint[permutations];
        _b = new uint[permutations];
        for (var i = 0; i < permutations; i++)
        {
            _a[i] = (uint)random.NextUInt64() | 1;
            _b[i] = (uint)random.NextUInt64();
        }
    }

    public int Ngram { get; }

    public int Bands { get; }

    public int Rows { get; }

    /// <summary>The signature of <paramref name="text"/>: one minimum per permutation.</summary>
    public uint[] Signature(ReadOnlySpan<char> text)
    {
        var shingles = TextShingles.NgramHashes(TextShingles.WordHashes(text), Ngram);
        var signature = new uint[_a.Length];
        Array.Fill(signature, uint.MaxValue);
        var width = Vector<uint>.Count;
        var vectorised = _a.Length - (_a.Length % width);
        var sig = signature.AsSpan();
        foreach (var shingle in shingles)
        {
            var x = (uint)(shingle ^ (shingle >> 32));
            var vx = new Vector<uint>(x);
            var i = 0;
            for (; i < vectorised; i += width)
            {
                var h = (new Vector<uint>(_a, i) * vx) + new Vector<uint>(_b, i);
                Vector.Min(h, new Vector<uint>(sig[i..])).CopyTo(sig[i..]);
            }

            for (; i < _a.Length; i++)
            {
                var h = (_a[i] * x) + _b[i];
                if (h < sig[i])
                {
                    sig[i] = h;
                }
            }
        }

        return signature;
    }

    /// <summary>One hash per band of <paramref name="signature"/>; documents sharing any band are candidates.</summary>
    public ulong[] BandHashes(uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var result = new ulong[Bands];
        var bytes = MemoryMarshal.AsBytes(signature.AsSpan());
        for (var band = 0; band < Bands; band++)
        {
            result[band] = ContentHash.XxHash64(bytes.Slice(band * Rows * sizeof(uint), Rows * sizeof(uint)), band);
        }

        return result;
    }

    /// <summary>The estimated Jaccard similarity of two signatures.</summary>
    public static double EstimateSimilarity(uint[] a, uint[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return (double)equal / a.Length;
    }
}
