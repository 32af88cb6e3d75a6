using System.Buffers.Binary;
using SecForge.Curation.Writers;
using SecForge.Testing;

namespace SecForge.Curation.Tests;

public sealed class TokenWriterTests
{
    /// <summary>
    /// A reader written from Megatron-LM's description of the MMIDIDX format (indexed_dataset.py), sharing no code
    /// with SecForge's writer or reader: header "MMIDIDX\0\0", u64 version, u8 dtype, u64 sequence count, u64 document
    /// count, i32 lengths, i64 byte pointers, i64 document indices; tokens in the .bin at the pointers.
    /// </summary>
    private static List<long[]> ReadMegatronIndependently(string prefix)
    {
        var index = File.ReadAllBytes(prefix + ".idx");
        var data = File.ReadAllBytes(prefix + ".bin");
        Assert.Equal("MMIDIDX\0\0"u8.ToArray(), index[..9]);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(9)));
        var dtype = index[17];
        var itemSize = dtype switch { 1 or 2 => 1, 3 or 8 => 2, 4 or 7 => 4, 5 or 6 => 8, _ => throw new InvalidDataException($"dtype {dtype}") };
        var sequences = (int)BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(18));
        var documents = (int)BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(26));
        var offset = 34;
        var lengths = new int[sequences];
        for (var i = 0; i < sequences; i++, offset += 4)
        {
            lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(index.AsSpan(offset));
        }

        var pointers = new long[sequences];
        for (var i = 0; i < sequences; i++, offset += 8)
        {
            pointers[i] = BinaryPrimitives.ReadInt64LittleEndian(index.AsSpan(offset));
        }

        var documentIndices = new long[documents];
        for (var i = 0; i < documents; i++, offset += 8)
        {
            documentIndices[i] = BinaryPrimitives.ReadInt64LittleEndian(index.AsSpan(offset));
        }

        Assert.Equal(index.Length, offset);
        Assert.Equal(0, documentIndices[0]);
        Assert.Equal(sequences, documentIndices[^1]);
        var result = new List<long[]>();
        for (var i = 0; i < sequences; i++)
        {
            var tokens = new long[lengths[i]];
            for (var k = 0; k < tokens.Length; k++)
            {
                var at = (int)pointers[i] + (k * itemSize);
                tokens[k] = dtype switch
                {
                    8 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at)),
                    4 => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at)),
                    _ => throw new InvalidDataException($"dtype {dtype}"),
                };
            }

            result.Add(tokens);
        }

        return result;
    }

    [Theory]
    [InlineData(50_000, 8)]
    [InlineData(128_256, 4)]
    public void Megatron_ReadsBackWithAnIndependentReader(int vocabularySize, int dtype)
    {
        using var directory = new TempDirectory();
        var prefix = directory.File("corpus_text_document");
        var random = new SecForge.Core.Randomness.SplitMix64(5);
        var documents = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 1 + random.NextInt(300)).Select(_ => random.NextInt(vocabularySize)).ToArray()).ToList();
        using (var writer = new MegatronIndexedDatasetWriter(prefix, vocabularySize))
        {
            foreach (var document in documents)
            {
                writer.Add(document);
            }

            writer.Complete();
        }

        Assert.Equal(dtype, File.ReadAllBytes(prefix + ".idx")[17]);
        var read = ReadMegatronIndependently(prefix);
        Assert.Equal(documents.Count, read.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            Assert.Equal(documents[i].Select(t => (long)t), read[i]);
        }

        var ours = MegatronIndexedDatasetReader.Open(prefix);
        Assert.Equal(documents[7], ours.Read(7));
    }

    [Fact]
    public void Megatron_WritesNothingUntilComplete()
    {
        using var directory = new TempDirectory();
        var prefix = directory.File("partial");
        using (var writer = new MegatronIndexedDatasetWriter(prefix, 1000))
        {
            writer.Add([1, 2, 3]);
        }

        Assert.False(File.Exists(prefix + ".bin"));
        Assert.False(File.Exists(prefix + ".idx"));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Packing_ConcatenatesDocumentsIntoFixedSequences()
    {
        using var directory = new TempDirectory();
        var path = directory.File("packed-8.sfpack");
        using (var writer = new PackedTokenWriter(path, 8, endOfText: 0))
        {
            writer.Add([1, 2, 3, 0]);
            writer.Add([4, 5, 6, 7, 8, 0]);
            writer.Add([9, 10, 11, 12, 13, 14, 0]);
            Assert.Equal(1, writer.TokensLeftOver);
            writer.Complete();
        }

        var reader = PackedTokenReader.Open(path);
        Assert.Equal(2, reader.Sequences);
        Assert.Equal([1, 2, 3, 0, 4, 5, 6, 7], reader.Read(0));
        Assert.Equal([8, 0, 9, 10, 11, 12, 13, 14], reader.Read(1));
        Assert.Equal(32 + (2 * 8 * 4), new FileInfo(path).Length);
    }
}
