using System.Buffers.Binary;
using SecForge.Core.Errors;

namespace SecForge.Curation.Writers;

/// <summary>Reads a Megatron-LM indexed dataset (<c>.idx</c> + <c>.bin</c>) and checks it is consistent.</summary>
public sealed class MegatronIndexedDatasetReader
{
    private MegatronIndexedDatasetReader(string prefix, int dtypeCode, int[] lengths, long[] pointers, long[] documentIndices)
    {
        Prefix = prefix;
        DtypeCode = dtypeCode;
        Lengths = lengths;
        Pointers = pointers;
        DocumentIndices = documentIndices;
    }

    public string Prefix { get; }

    /// <summary>Megatron's dtype code: 8 = uint16, 4 = int32.</summary>
    public int DtypeCode { get; }

    public IReadOnlyList<int> Lengths { get; }

    public IReadOnlyList<long> Pointers { get; }

    public IReadOnlyList<long> DocumentIndices { get; }

    /// <summary>Sequences (documents) in the dataset.</summary>
    public int Count => Lengths.Count;

    public long TotalTokens => Lengths.Sum(l => (long)l);

    /// <summary>Opens <paramref name="prefix"/>.idx and checks it against <paramref name="prefix"/>.bin.</summary>
    public static MegatronIndexedDatasetReader Open(string prefix)
    {
        var idx = prefix + ".idx";
        var bin = prefix + ".bin";
        if (!File.Exists(idx) || !File.Exists(bin))
        {
            throw new InputException("missing .idx or .bin", prefix);
        }

        using var reader = new BinaryReader(File.OpenRead(idx));
        var magic = reader.ReadBytes(9);
        if (!magic.AsSpan().SequenceEqual(MegatronIndexedDatasetWriter.IndexMagic))
        {
            throw new InputException("not an MMIDIDX index (bad magic)", idx);
        }

        var version = reader.ReadUInt64();
        if (version != 1)
        {
            throw new InputException($"unsupported index version {version}", idx);
        }

        var dtype = reader.ReadByte();
        if (dtype is not (4 or 8))
        {
            throw new InputException($"unsupported dtype code {dtype} (SecForge reads 4 = int32 and 8 = uint16)", idx);
        }

        var sequences = reader.ReadUInt64();
        var documents = reader.ReadUInt64();
        var lengths = new int[sequences];
        for (ulong i = 0; i < sequences; i++)
        {
            lengths[i] = reader.ReadInt32();
        }

        var pointers = new long[sequences];
        for (ulong i = 0; i < sequences; i++)
        {
            pointers[i] = reader.ReadInt64();
        }

        var documentIndices = new long[documents];
        for (ulong i = 0; i < documents; i++)
        {
            documentIndices[i] = reader.ReadInt64();
        }

        var size = dtype == 8 ? 2 : 4;
        var expected = lengths.Sum(l => (long)l) * size;
        var actual = new FileInfo(bin).Length;
        if (expected != actual)
        {
            throw new InputException($"the index describes {expected:N0} bytes of tokens but the .bin holds {actual:N0}", bin);
        }

        return new MegatronIndexedDatasetReader(prefix, dtype, lengths, pointers, documentIndices);
    }

    /// <summary>The tokens of sequence <paramref name="index"/>.</summary>
    public int[] Read(int index)
    {
        var size = DtypeCode == 8 ? 2 : 4;
        var bytes = new byte[Lengths[index] * size];
        using var stream = File.OpenRead(Prefix + ".bin");
        stream.Position = Pointers[index];
        stream.ReadExactly(bytes);
        var tokens = new int[Lengths[index]];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        return tokens;
    }
}
