using System.Buffers.Binary;
using SecForge.Core.IO;

namespace SecForge.Curation.Writers;

/// <summary>
/// Writes a Megatron-LM indexed dataset: <c>{prefix}.bin</c> holds every document's tokens back to back
/// (uint16 when the vocabulary has fewer than 65,500 ids, else int32, little-endian), and <c>{prefix}.idx</c>
/// is the <c>MMIDIDX</c> index: magic, version 1, dtype code, sequence and document counts, then int32
/// sequence lengths, int64 byte pointers and int64 document indices (one sequence per document, as
/// <c>preprocess_data.py --append-eod</c> writes). Both files appear only when <see cref="Complete"/> runs.
/// </summary>
public sealed class MegatronIndexedDatasetWriter : IDisposable
{
    /// <summary>The index file's magic bytes.</summary>
    public static ReadOnlySpan<byte> IndexMagic => "MMIDIDX\0\0"u8;

    private readonly string _prefix;
    private readonly string _binTemporary;
    private readonly FileStream _bin;
    private readonly List<int> _lengths = [];
    private readonly byte[] _buffer = new byte[1 << 16];
    private bool _completed;

    public MegatronIndexedDatasetWriter(string prefix, int vocabularySize)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _prefix = prefix;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        UseUInt16 = vocabularySize < 65500;
        _binTemporary = AtomicFile.TemporaryNameFor(Path.GetFullPath(prefix + ".bin"));
        _bin = new FileStream(_binTemporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>True when tokens are stored as uint16 (dtype code 8), false for int32 (code 4).</summary>
    public bool UseUInt16 { get; }

    /// <summary>Documents written.</summary>
    public int Documents => _lengths.Count;

    /// <summary>Tokens written.</summary>
    public long Tokens { get; private set; }

    /// <summary>Appends one document (its tokens, end-of-text included).</summary>
    public void Add(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var size = UseUInt16 ? 2 : 4;
        var offset = 0;
        foreach (var token in tokens)
        {
            if (offset + size > _buffer.Length)
            {
                _bin.Write(_buffer, 0, offset);
                offset = 0;
            }

            if (UseUInt16)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(offset), checked((ushort)token));
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(offset), token);
            }

            offset += size;
        }

        _bin.Write(_buffer, 0, offset);
        _lengths.Add(tokens.Length);
        Tokens += tokens.Length;
    }

    /// <summary>Writes the index and moves both files into place.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _bin.Flush(flushToDisk: true);
        _bin.Dispose();
        AtomicFile.Write(_prefix + ".idx", WriteIndex);
        File.Move(_binTemporary, _prefix + ".bin", overwrite: true);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _bin.Dispose();
            File.Delete(_binTemporary);
        }
    }

    private void WriteIndex(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(IndexMagic);
        writer.Write(1UL);
        writer.Write((byte)(UseUInt16 ? 8 : 4));
        writer.Write((ulong)_lengths.Count);
        writer.Write((ulong)_lengths.Count + 1);
        foreach (var length in _lengths)
        {
            writer.Write(length);
        }

        long pointer = 0;
        var size = UseUInt16 ? 2 : 4;
        foreach (var length in _lengths)
        {
            writer.Write(pointer);
            pointer += (long)length * size;
        }

        for (long document = 0; document <= _lengths.Count; document++)
        {
            writer.Write(document);
        }
    }
}
