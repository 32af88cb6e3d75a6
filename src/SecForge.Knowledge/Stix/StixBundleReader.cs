using System.IO.Compression;
using System.Text.Json;

namespace SecForge.Knowledge.Stix;

/// <summary>
/// Streams the objects of a STIX 2.0 or 2.1 bundle (<c>{"type": "bundle", "objects": [...]}</c>) one at a time,
/// holding only the object being read in memory: the Enterprise ATT&amp;CK bundle (about 50 MB of JSON) is read in a
/// buffer of a few hundred KB. An object that is not a JSON object is a counted failure; a file that is not JSON,
/// has no <c>objects</c> list, or ends inside one ends the stream with one fatal entry saying where.
/// </summary>
public static class StixBundleReader
{
    /// <summary>The largest single object accepted (an ATT&amp;CK object is a few KB).</summary>
    public const int MaxObjectBytes = 16 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>, gzipped or not (by its magic bytes).</summary>
    public static IEnumerable<StixRead> ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        var gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        foreach (var read in Read(stream))
        {
            yield return read;
        }
    }

    /// <summary>Reads a bundle from <paramref name="stream"/>.</summary>
    public static IEnumerable<StixRead> Read(Stream stream) => ReadArray(stream, "objects", "STIX bundle");

    /// <summary>
    /// Streams the elements of the list under top-level property <paramref name="property"/> of a JSON object (a STIX
    /// bundle's <c>objects</c>, an NVD feed's <c>vulnerabilities</c>); <paramref name="what"/> names the format in errors.
    /// </summary>
    public static IEnumerable<StixRead> ReadArray(Stream stream, string property, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(property);
        var parser = new Parser(System.Text.Encoding.UTF8.GetBytes(property), what);
        var buffer = new byte[256 * 1024];
        var filled = 0;
        var final = false;
        var batch = new List<StixRead>();
        while (true)
        {
            if (!final && filled < buffer.Length)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                final = read == 0;
            }

            if (final && filled == 0 && parser.Offset == 0)
            {
                yield return new StixRead(0, null, $"the file is empty: not a {what}", Fatal: true);
                yield break;
            }

            batch.Clear();
            int consumed;
            string? error = null;
            try
            {
                consumed = parser.Step(buffer.AsSpan(0, filled), final, batch);
            }
            catch (JsonException exception)
            {
                consumed = 0;
                error = $"not valid JSON after {parser.Objects:N0} entries of '{property}', in the {Core.IO.ByteSize.Format(filled)} read from byte {parser.Offset:N0}: {exception.Message.Split(" LineNumber", 2)[0]}";
            }

            foreach (var item in batch)
            {
                yield return item;
            }

            if (error is not null)
            {
                yield return new StixRead(parser.Objects, null, error, Fatal: true);
                yield break;
            }

            if (parser.Done)
            {
                if (!parser.SawObjects)
                {
                    yield return new StixRead(0, null, $"not a {what}: no '{property}' list", Fatal: true);
                }

                yield break;
            }

            if (final && consumed == 0)
            {
                yield return new StixRead(parser.Objects, null, parser.Objects == 0 && !parser.InObjects ? $"not a {what}: no '{property}' list" : $"the file ends inside the '{property}' list after {parser.Objects:N0} entries (truncated?)", Fatal: true);
                yield break;
            }

            Array.Copy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            parser.Offset += consumed;
            if (consumed == 0 && filled == buffer.Length)
            {
                if (buffer.Length >= MaxObjectBytes)
                {
                    yield return new StixRead(parser.Objects, null, $"an object is larger than {Core.IO.ByteSize.Format(MaxObjectBytes)}", Fatal: true);
                    yield break;
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }

    private static JsonElement Element(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return document.RootElement.Clone();
    }

    private sealed class Parser(byte[] property, string what)
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private int _phase; // 0 before the bundle, 1 in the bundle, 2 in its objects list, 3 done

        public long Offset { get; set; }

        public long Objects { get; private set; }

        public bool Done => _phase == 3;

        public bool InObjects => _phase == 2;

        public bool SawObjects { get; private set; }

        /// <summary>Reads what it can from <paramref name="data"/>; returns the bytes consumed by whole steps.</summary>
        public int Step(ReadOnlySpan<byte> data, bool final, List<StixRead> output)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            var consumed = 0;
            while (_phase != 3)
            {
                var checkpoint = reader;
                if (!Advance(ref reader, data, output))
                {
                    reader = checkpoint;
                    break;
                }

                consumed = (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }

            return consumed;
        }

        /// <summary>One whole step (a token, a skipped value, or a whole object); false when the data ends first.</summary>
        private bool Advance(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, List<StixRead> output)
        {
            if (!reader.Read())
            {
                return false;
            }

            switch (_phase)
            {
                case 0:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"expected a JSON object (a {what})");
                    }

                    _phase = 1;
                    return true;
                case 1:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = 3;
                        return true;
                    }

                    var isObjects = reader.CurrentDepth == 1 && reader.ValueTextEquals(property);
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (isObjects && reader.TokenType == JsonTokenType.StartArray)
                    {
                        _phase = 2;
                        SawObjects = true;
                        return true;
                    }

                    return reader.TrySkip();
                default:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = 3;
                        return true;
                    }

                    var start = (int)reader.TokenStartIndex;
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    var index = Objects++;
                    if (!isObject)
                    {
                        output.Add(new StixRead(index, null, $"{System.Text.Encoding.UTF8.GetString(property)}[{index}] is not a JSON object"));
                        return true;
                    }

                    output.Add(new StixRead(index, Element(data[start..(int)reader.BytesConsumed]), null));
                    return true;
            }
        }
    }
}
