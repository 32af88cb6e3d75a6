using System.Buffers.Binary;
using System.Text;
using SecForge.Core.IO;

namespace SecForge.Models.Gguf;

/// <summary>
/// Writes GGUF version 3 files: header, metadata key/values, tensor infos and aligned F32 tensor data,
/// little-endian, as the GGUF specification of ggml describes. Enough to write test models llama.cpp loads.
/// </summary>
public sealed class GgufWriter
{
    /// <summary>The four magic bytes every GGUF file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "GGUF"u8;

    private const uint Version = 3;
    private const uint TensorTypeF32 = 0;
    private readonly List<(string Key, GgufValueType Type, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, ulong[] Dimensions, float[] Data)> _tensors = [];

    /// <summary>Data alignment in bytes (the <c>general.alignment</c> key; 32 by default).</summary>
    public int Alignment { get; init; } = 32;

    public GgufWriter AddString(string key, string value) => Add(key, GgufValueType.String, w => WriteString(w, value));

    public GgufWriter AddUInt32(string key, uint value) => Add(key, GgufValueType.UInt32, w => w.Write(value));

    public GgufWriter AddInt32(string key, int value) => Add(key, GgufValueType.Int32, w => w.Write(value));

    public GgufWriter AddFloat32(string key, float value) => Add(key, GgufValueType.Float32, w => w.Write(value));

    public GgufWriter AddBool(string key, bool value) => Add(key, GgufValueType.Bool, w => w.Write((byte)(value ? 1 : 0)));

    public GgufWriter AddStringArray(string key, IReadOnlyList<string> values) => Add(key, GgufValueType.Array, w =>
    {
        w.Write((uint)GgufValueType.String);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            WriteString(w, value);
        }
    });

    public GgufWriter AddInt32Array(string key, IReadOnlyList<int> values) => Add(key, GgufValueType.Array, w =>
    {
        w.Write((uint)GgufValueType.Int32);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    /// <summary>
    /// Adds an F32 tensor. <paramref name="dimensions"/> are in ggml order: the first is the contiguous one
    /// (a PyTorch [out, in] matrix is written as dimensions [in, out] with the same bytes).
    /// </summary>
    public GgufWriter AddTensor(string name, ulong[] dimensions, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        ulong count = 1;
        foreach (var dimension in dimensions)
        {
            count *= dimension;
        }

        if (count != (ulong)data.Length)
        {
            throw new ArgumentException($"tensor '{name}' has {data.Length} values but its dimensions hold {count}", nameof(data));
        }

        _tensors.Add((name, dimensions, data));
        return this;
    }

    /// <summary>Writes the file to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, type, write) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            write(writer);
        }

        ulong offset = 0;
        foreach (var (name, dimensions, data) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.Write(dimension);
            }

            writer.Write(TensorTypeF32);
            writer.Write(offset);
            offset = AlignUp(offset + ((ulong)data.Length * sizeof(float)));
        }

        writer.Flush();
        Pad(writer, stream.Position);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var (_, _, data) in _tensors)
        {
            foreach (var value in data)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
                writer.Write(bytes);
            }

            writer.Flush();
            Pad(writer, stream.Position);
        }
    }

    private GgufWriter Add(string key, GgufValueType type, Action<BinaryWriter> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _metadata.Add((key, type, write));
        return this;
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private ulong AlignUp(ulong value) => (value + (ulong)Alignment - 1) / (ulong)Alignment * (ulong)Alignment;

    private void Pad(BinaryWriter writer, long position)
    {
        var padding = (int)(AlignUp((ulong)position) - (ulong)position);
        for (var i = 0; i < padding; i++)
        {
            writer.Write((byte)0);
        }
    }
}
