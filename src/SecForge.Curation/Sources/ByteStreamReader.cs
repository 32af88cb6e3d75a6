using System.Buffers;

namespace SecForge.Curation.Sources;

/// <summary>
/// Reads lines and exact byte counts from a stream through one pooled buffer: what WARC and JSONL parsing need,
/// with hard limits so no line or block can make it allocate without bound.
/// </summary>
internal sealed class ByteStreamReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public ByteStreamReader(Stream stream, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes consumed from the stream so far.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Reads the next line (without its terminator) into <paramref name="line"/>. Returns false at the end of the
    /// stream. A line longer than <paramref name="maxLength"/> keeps only its first bytes and sets
    /// <paramref name="tooLong"/>; the rest is consumed up to <paramref name="maxConsume"/> bytes, beyond which
    /// reading stops with <paramref name="gaveUp"/> set (the stream is then left mid-line).
    /// </summary>
    public bool ReadLine(ArrayBufferWriter<byte> line, int maxLength, out bool tooLong, long maxConsume, out bool gaveUp)
    {
        line.ResetWrittenCount();
        tooLong = false;
        gaveUp = false;
        var any = false;
        long consumed = 0;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return any;
            }

            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline >= 0 ? newline : span.Length;
            if (!tooLong)
            {
                var room = maxLength - line.WrittenCount;
                if (take > room)
                {
                    tooLong = true;
                    line.Write(span[..Math.Max(room, 0)]);
                }
                else
                {
                    line.Write(span[..take]);
                }
            }

            var advance = newline >= 0 ? newline + 1 : span.Length;
            Advance(advance);
            consumed += advance;
            if (newline >= 0)
            {
                if (!tooLong && line.WrittenCount > 0 && line.WrittenSpan[^1] == '\r')
                {
                    var trimmed = line.WrittenSpan[..^1].ToArray();
                    line.ResetWrittenCount();
                    line.Write(trimmed);
                }

                return true;
            }

            if (consumed > maxConsume)
            {
                gaveUp = true;
                return true;
            }
        }
    }

    /// <summary>Reads the next line with no limit beyond <paramref name="maxLength"/> kept bytes.</summary>
    public bool ReadLine(ArrayBufferWriter<byte> line, int maxLength, out bool tooLong) =>
        ReadLine(line, maxLength, out tooLong, long.MaxValue, out _);

    /// <summary>Fills <paramref name="destination"/>; returns how many bytes were available before the end.</summary>
    public int ReadExactly(Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length)
        {
            if (_start == _end && !Fill())
            {
                break;
            }

            var take = Math.Min(destination.Length - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(destination[copied..]);
            Advance(take);
            copied += take;
        }

        return copied;
    }

    /// <summary>Skips <paramref name="count"/> bytes; returns how many were skipped before the end.</summary>
    public long Skip(long count)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (_start == _end && !Fill())
            {
                break;
            }

            var take = (int)Math.Min(count - skipped, _end - _start);
            Advance(take);
            skipped += take;
        }

        return skipped;
    }

    /// <summary>Looks at the next byte without consuming it; -1 at the end.</summary>
    public int Peek() => _start == _end && !Fill() ? -1 : _buffer[_start];

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _stream.Dispose();
    }

    private void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        _start = 0;
        _end = _stream.Read(_buffer, 0, _buffer.Length);
        if (_end == 0)
        {
            _eof = true;
            return false;
        }

        return true;
    }
}
