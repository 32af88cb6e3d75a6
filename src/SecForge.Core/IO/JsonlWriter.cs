using System.Buffers;
using System.Text.Json;
using SecForge.Core.Json;

namespace SecForge.Core.IO;

/// <summary>
/// An append-only JSON Lines file: each record is one line, written whole and flushed to the operating system,
/// so a killed process loses at most the line it was writing. Safe to call from several threads.
/// </summary>
public sealed class JsonlWriter : IAsyncDisposable, IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _stream;
    private readonly JsonSerializerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ArrayBufferWriterPool _buffers = new();
    private bool _disposed;

    private JsonlWriter(FileStream stream, JsonSerializerOptions options, string path)
    {
        _stream = stream;
        _options = options;
        Path = path;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Records written through this writer.</summary>
    public long Count { get; private set; }

    /// <summary>Opens <paramref name="path"/> for appending, first cutting off a torn last line left by a crash.</summary>
    public static JsonlWriter OpenAppend(string path, JsonSerializerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        TruncateTornTail(path);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        return new JsonlWriter(stream, options ?? SecForgeJson.Compact, path);
    }

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public static JsonlWriter Create(string path, JsonSerializerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        return new JsonlWriter(stream, options ?? SecForgeJson.Compact, path);
    }

    /// <summary>Appends one record and flushes it.</summary>
    public async ValueTask WriteAsync<T>(T record, CancellationToken cancellationToken = default)
    {
        var buffer = _buffers.Rent();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = _options.Encoder, Indented = false }))
            {
                JsonSerializer.Serialize(writer, record, _options);
            }

            ((IBufferWriter<byte>)buffer).Write(NewLine);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                Count++;
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>Appends one record synchronously and flushes it.</summary>
    public void Write<T>(T record)
    {
        var buffer = _buffers.Rent();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = _options.Encoder, Indented = false }))
            {
                JsonSerializer.Serialize(writer, record, _options);
            }

            ((IBufferWriter<byte>)buffer).Write(NewLine);
            _gate.Wait();
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _stream.Write(buffer.WrittenSpan);
                _stream.Flush();
                Count++;
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>
    /// Cuts a last line that has no newline (a write torn by a crash) so appending continues on a clean line.
    /// Returns the number of bytes removed.
    /// </summary>
    public static long TruncateTornTail(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0)
        {
            return 0;
        }

        var length = stream.Length;
        var chunk = new byte[64 * 1024];
        var position = length;
        while (position > 0)
        {
            var size = (int)Math.Min(chunk.Length, position);
            position -= size;
            stream.Position = position;
            stream.ReadExactly(chunk, 0, size);
            var index = Array.LastIndexOf(chunk, (byte)'\n', size - 1, size);
            if (index >= 0)
            {
                var keep = position + index + 1;
                if (keep != length)
                {
                    stream.SetLength(keep);
                }

                return length - keep;
            }
        }

        stream.SetLength(0);
        return length;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _stream.FlushAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stream.Flush();
            _stream.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class ArrayBufferWriterPool
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<ArrayBufferWriter<byte>> _pool = [];

        public ArrayBufferWriter<byte> Rent() => _pool.TryTake(out var buffer) ? buffer : new ArrayBufferWriter<byte>(1024);

        public void Return(ArrayBufferWriter<byte> buffer)
        {
            if (buffer.Capacity <= 1 << 20)
            {
                buffer.ResetWrittenCount();
                _pool.Add(buffer);
            }
        }
    }
}
