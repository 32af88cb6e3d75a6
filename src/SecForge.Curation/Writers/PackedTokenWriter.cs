using System.Buffers.Binary;
using SecForge.Core.IO;

namespace SecForge.Curation.Writers;

/// <summary>
/// Writes documents packed into fixed-length training sequences, end-of-text between documents, in SecForge's
/// flat format: a 32-byte header — magic <c>SFPACK01</c>, uint32 sequence length, uint32 bytes per token (4),
/// uint64 sequence count, uint64 end-of-text id — then the sequences' uint32 tokens back to back, little-endian.
/// A last partial sequence is not written (its token count is reported). <see cref="PackedTokenReader"/> reads it.
/// </summary>
public sealed class PackedTokenWriter : IDisposable
{
    /// <summary>The file's magic bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "SFPACK01"u8;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderSize = 32;

    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly int[] _window;
    private readonly byte[] _bytes;
    private readonly int _endOfText;
    private int _filled;
    private bool _completed;

    public PackedTokenWriter(string path, int sequenceLength, int endOfText)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _temporary = AtomicFile.TemporaryNameFor(_path);
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _stream.Write(new byte[HeaderSize]);
        SequenceLength = sequenceLength;
        _endOfText = endOfText;
        _window = new int[sequenceLength];
        _bytes = new byte[sequenceLength * 4];
    }

    public int SequenceLength { get; }

    /// <summary>Full sequences written.</summary>
    public long Sequences { get; private set; }

    /// <summary>Tokens of the last partial sequence, left out.</summary>
    public int TokensLeftOver => _filled;

    /// <summary>Appends one document's tokens (end-of-text already included).</summary>
    public void Add(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        foreach (var token in tokens)
        {
            _window[_filled++] = token;
            if (_filled == SequenceLength)
            {
                for (var i = 0; i < SequenceLength; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(i * 4), (uint)_window[i]);
                }

                _stream.Write(_bytes);
                Sequences++;
                _filled = 0;
            }
        }
    }

    /// <summary>Writes the header and moves the file into place.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)SequenceLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 4);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)Sequences);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)_endOfText);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _stream.Dispose();
            File.Delete(_temporary);
        }
    }
}

/// <summary>Reads SecForge's packed token format.</summary>
public sealed class PackedTokenReader
{
    private readonly string _path;

    private PackedTokenReader(string path, int sequenceLength, long sequences, int endOfText)
    {
        _path = path;
        SequenceLength = sequenceLength;
        Sequences = sequences;
        EndOfText = endOfText;
    }

    public int SequenceLength { get; }

    public long Sequences { get; }

    public int EndOfText { get; }

    /// <summary>Opens and checks <paramref name="path"/>.</summary>
    public static PackedTokenReader Open(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> header = stackalloc byte[PackedTokenWriter.HeaderSize];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header[..8].SequenceEqual(PackedTokenWriter.Magic))
        {
            throw new SecForge.Core.Errors.InputException("not a SecForge packed token file (bad magic)", path);
        }

        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var sequences = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        var eos = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        var expected = PackedTokenWriter.HeaderSize + (sequences * length * 4);
        if (stream.Length != expected)
        {
            throw new SecForge.Core.Errors.InputException($"the header describes {expected:N0} bytes but the file holds {stream.Length:N0}", path);
        }

        return new PackedTokenReader(path, length, sequences, eos);
    }

    /// <summary>The tokens of sequence <paramref name="index"/>.</summary>
    public int[] Read(long index)
    {
        using var stream = File.OpenRead(_path);
        stream.Position = PackedTokenWriter.HeaderSize + (index * SequenceLength * 4);
        var bytes = new byte[SequenceLength * 4];
        stream.ReadExactly(bytes);
        var tokens = new int[SequenceLength];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        return tokens;
    }
}
