using System.Text;
using SecForge.Core.Errors;

namespace SecForge.Models.Gguf;

/// <summary>
/// The header and metadata of a GGUF file, read without loading tensors: lets SecForge reject a file that is
/// not GGUF with a clear message before llama.cpp sees it, and describe a model (architecture, context, vocabulary).
/// </summary>
public sealed class GgufHeader
{
    private GgufHeader(uint version, ulong tensorCount, IReadOnlyDictionary<string, object> metadata)
    {
        Version = version;
        TensorCount = tensorCount;
        Metadata = metadata;
    }

    public uint Version { get; }

    public ulong TensorCount { get; }

    /// <summary>Metadata values: numbers, strings, booleans, or arrays of them (long arrays are summarised by their length).</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    /// <summary>The <c>general.architecture</c> value, e.g. "llama".</summary>
    public string? Architecture => Metadata.TryGetValue("general.architecture", out var value) ? value as string : null;

    /// <summary>The <c>&lt;arch&gt;.context_length</c> value, if present.</summary>
    public long? ContextLength =>
        Architecture is { } arch && Metadata.TryGetValue($"{arch}.context_length", out var value) ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The chat template in <c>tokenizer.chat_template</c>, if any.</summary>
    public string? ChatTemplate => Metadata.TryGetValue("tokenizer.chat_template", out var value) ? value as string : null;

    /// <summary>Reads the header of <paramref name="path"/>; throws <see cref="InputException"/> when it is missing or not GGUF.</summary>
    public static GgufHeader Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(Directory.Exists(path) ? "is a directory, not a GGUF file" : "model file not found", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (read < 4 || !magic.SequenceEqual(GgufWriter.Magic))
        {
            throw new InputException($"not a GGUF file (it starts with {Describe(magic[..read])}; a GGUF file starts with 'GGUF')", path);
        }

        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3)
            {
                throw new InputException($"unsupported GGUF version {version} (SecForge reads versions 2 and 3)", path);
            }

            var tensorCount = reader.ReadUInt64();
            var metadataCount = reader.ReadUInt64();
            if (metadataCount > 1_000_000)
            {
                throw new InputException($"corrupt GGUF header: {metadataCount} metadata entries", path);
            }

            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader);
                var type = (GgufValueType)reader.ReadUInt32();
                metadata[key] = ReadValue(reader, type, path, key);
            }

            return new GgufHeader(version, tensorCount, metadata);
        }
        catch (EndOfStreamException exception)
        {
            throw new InputException("truncated GGUF file: the header ends early", path, innerException: exception);
        }
    }

    private static string Describe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return "nothing: the file is empty";
        }

        return string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string ReadString(BinaryReader reader)
    {
        var length = reader.ReadUInt64();
        if (length > 64 * 1024 * 1024)
        {
            throw new InvalidDataException($"string of {length} bytes");
        }

        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    private static object ReadValue(BinaryReader reader, GgufValueType type, string path, string key) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(),
        GgufValueType.Int8 => reader.ReadSByte(),
        GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(),
        GgufValueType.UInt32 => reader.ReadUInt32(),
        GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.Float32 => reader.ReadSingle(),
        GgufValueType.Bool => reader.ReadByte() != 0,
        GgufValueType.String => ReadString(reader),
        GgufValueType.UInt64 => reader.ReadUInt64(),
        GgufValueType.Int64 => reader.ReadInt64(),
        GgufValueType.Float64 => reader.ReadDouble(),
        GgufValueType.Array => ReadArray(reader, path, key),
        _ => throw new InputException($"corrupt GGUF metadata: unknown value type {(uint)type}", path, field: key),
    };

    private static GgufArray ReadArray(BinaryReader reader, string path, string key)
    {
        var elementType = (GgufValueType)reader.ReadUInt32();
        var count = reader.ReadUInt64();
        if (count > 100_000_000)
        {
            throw new InputException($"corrupt GGUF metadata: array of {count} elements", path, field: key);
        }

        var values = new List<object>((int)Math.Min(count, 1024));
        for (ulong i = 0; i < count; i++)
        {
            var value = ReadValue(reader, elementType, path, key);
            if (i < 1024)
            {
                values.Add(value);
            }
        }

        return new GgufArray(elementType, count, values);
    }
}

/// <summary>A GGUF metadata array: its element type, length and (up to 1,024 of) its values.</summary>
public sealed record GgufArray(GgufValueType ElementType, ulong Count, IReadOnlyList<object> Values);
