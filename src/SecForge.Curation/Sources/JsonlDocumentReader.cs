using System.Buffers;
using System.Text.Json;
using SecForge.Core.IO;

namespace SecForge.Curation.Sources;

/// <summary>
/// Reads JSON Lines corpora (plain, .gz, .zst) with configurable text, id and URL fields. Each line is read as
/// bytes with a size limit; a line that is too long, not valid UTF-8, not JSON or without the text field becomes
/// a failed record naming the file, line and field.
/// </summary>
public static class JsonlDocumentReader
{
    /// <summary>Reads the records of <paramref name="path"/>.</summary>
    public static IEnumerable<SourceRecord> Read(string path, SourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = Path.GetFileName(path);
        using var reader = new ByteStreamReader(CompressedFile.OpenRead(path));
        var line = new ArrayBufferWriter<byte>(4096);
        var maxLine = (int)Math.Min(options.MaxRecordBytes, int.MaxValue - 1);
        long number = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            bool tooLong;
            bool gaveUp;
            string? corrupt = null;
            try
            {
                more = reader.ReadLine(line, maxLine, out tooLong, options.MaxSkipBytes, out gaveUp);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                more = false;
                tooLong = false;
                gaveUp = false;
                corrupt = exception.Message;
            }

            if (corrupt is not null)
            {
                yield return SourceRecord.Failed($"{name}:{number + 1}", $"{name}:{number + 1}", SourceFailure.CorruptCompression, $"corrupt or truncated compressed data: {corrupt}; the rest of the file is skipped");
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            number++;
            var location = $"{name}:{number}";
            if (gaveUp)
            {
                yield return SourceRecord.Failed(location, location, SourceFailure.TooLargeToSkip, $"a line longer than {ByteSize.Format(options.MaxSkipBytes)} (a decompression bomb?); the rest of the file is skipped", options.MaxSkipBytes);
                yield break;
            }

            if (tooLong)
            {
                yield return SourceRecord.Failed(location, location, SourceFailure.RecordTooLarge, $"the line is longer than the {ByteSize.Format(options.MaxRecordBytes)} record limit", options.MaxRecordBytes);
                continue;
            }

            if (line.WrittenCount == 0 || line.WrittenSpan.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            yield return Parse(line.WrittenSpan, location, options);
        }
    }

    private static SourceRecord Parse(ReadOnlySpan<byte> bytes, string location, SourceOptions options)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return SourceRecord.Failed(location, location, SourceFailure.InvalidUtf8, "the line is not valid UTF-8", bytes.Length);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            return FromJson(document.RootElement, location, bytes.Length, options);
        }
        catch (JsonException exception)
        {
            return SourceRecord.Failed(location, location, SourceFailure.InvalidJson, $"not valid JSON: {exception.Message}", bytes.Length);
        }
    }

    /// <summary>Builds a record from one JSON object (shared with Parquet rows rendered as JSON).</summary>
    internal static SourceRecord FromJson(JsonElement root, string location, long rawBytes, SourceOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return SourceRecord.Failed(location, location, SourceFailure.NotAnObject, $"expected a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}", rawBytes);
        }

        if (!TryGetPath(root, options.TextField, out var text) || text.ValueKind != JsonValueKind.String)
        {
            return SourceRecord.Failed(location, location, SourceFailure.MissingText, $"field '{options.TextField}' is missing or not a string", rawBytes);
        }

        var id = TryGetPath(root, options.IdField, out var idValue) && idValue.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? idValue.ToString()
            : location;
        var url = TryGetPath(root, options.UrlField, out var urlValue) && urlValue.ValueKind == JsonValueKind.String ? urlValue.GetString() : null;
        return new SourceRecord
        {
            Id = id,
            Location = location,
            Url = url,
            Content = options.Content,
            Text = text.GetString(),
            RawBytes = rawBytes,
        };
    }

    private static bool TryGetPath(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        foreach (var part in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return false;
            }
        }

        return true;
    }
}
