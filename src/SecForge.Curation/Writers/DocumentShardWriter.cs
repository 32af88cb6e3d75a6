using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;
using ZstdSharp;

namespace SecForge.Curation.Writers;

/// <summary>
/// Writes documents as numbered JSONL.zst shards (<c>docs-00000.jsonl.zst</c>, …) of a fixed number of documents
/// each; a shard appears under its name only when it is complete. Output is deterministic: single-threaded
/// Zstandard at a fixed level.
/// </summary>
public sealed class DocumentShardWriter : IDisposable
{
    private readonly string _directory;
    private readonly int _perShard;
    private readonly List<string> _written = [];
    private CompressionStream? _compressor;
    private FileStream? _file;
    private string? _temporary;
    private int _inShard;

    public DocumentShardWriter(string directory, int documentsPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(documentsPerShard, 1);
        _directory = directory;
        _perShard = documentsPerShard;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The shard files completed so far.</summary>
    public IReadOnlyList<string> Files => _written;

    /// <summary>Documents written.</summary>
    public long Documents { get; private set; }

    /// <summary>Writes one record.</summary>
    public void Write<T>(T record)
    {
        if (_compressor is null)
        {
            Open();
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, SecForgeJson.Compact);
        _compressor!.Write(bytes);
        _compressor.WriteByte((byte)'\n');
        Documents++;
        if (++_inShard == _perShard)
        {
            Close();
        }
    }

    /// <summary>Closes the last shard.</summary>
    public void Complete() => Close();

    public void Dispose()
    {
        _compressor?.Dispose();
        _file?.Dispose();
        if (_temporary is not null && File.Exists(_temporary))
        {
            File.Delete(_temporary);
        }
    }

    private void Open()
    {
        var path = Path.Combine(_directory, $"docs-{_written.Count:D5}.jsonl.zst");
        _temporary = AtomicFile.TemporaryNameFor(Path.GetFullPath(path));
        _file = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _compressor = new CompressionStream(_file, level: 3, leaveOpen: true);
        _inShard = 0;
    }

    private void Close()
    {
        if (_compressor is null)
        {
            return;
        }

        _compressor.Dispose();
        _file!.Flush(flushToDisk: true);
        _file.Dispose();
        var path = Path.Combine(_directory, $"docs-{_written.Count:D5}.jsonl.zst");
        File.Move(_temporary!, path, overwrite: true);
        _written.Add(path);
        _compressor = null;
        _file = null;
        _temporary = null;
    }
}
