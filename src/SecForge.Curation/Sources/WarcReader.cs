using System.Buffers;
using System.Globalization;
using System.Text;
using SecForge.Core.IO;
using SecForge.Curation.Extraction;

namespace SecForge.Curation.Sources;

/// <summary>
/// Reads WARC files (plain or gzip, one member per record as Common Crawl writes them): response records with
/// HTML bodies become records; other record types, redirects and non-HTML bodies are skipped with a reason;
/// oversized, truncated or corrupt records become failed records and reading goes on where it can.
/// </summary>
public static class WarcReader
{
    private const int MaxHeaderLine = 64 * 1024;

    /// <summary>Reads the records of <paramref name="path"/>.</summary>
    public static IEnumerable<SourceRecord> Read(string path, SourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = Path.GetFileName(path);
        using var reader = new ByteStreamReader(CompressedFile.OpenRead(path));
        var line = new ArrayBufferWriter<byte>(256);
        var number = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WarcHeader? header;
            string? failure = null;
            var failureCode = SourceFailure.MalformedWarc;
            try
            {
                header = ReadHeader(reader, line, out failure);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                header = null;
                failure = $"corrupt or truncated compressed data: {exception.Message}";
                failureCode = SourceFailure.CorruptCompression;
            }

            if (header is null)
            {
                if (failure is not null)
                {
                    yield return SourceRecord.Failed($"{name}#{number + 1}", $"{name} record {number + 1}", failureCode, failure + "; the rest of the file is skipped");
                }

                yield break;
            }

            number++;
            var id = header.RecordId ?? $"{name}#{number}";
            var location = $"{name} record {number}";
            if (header.ContentLength > options.MaxRecordBytes)
            {
                var skipLimit = Math.Min(header.ContentLength, options.MaxSkipBytes);
                long skipped;
                string? skipFailure = null;
                try
                {
                    skipped = reader.Skip(skipLimit);
                }
                catch (Exception exception) when (exception is InvalidDataException or IOException)
                {
                    skipped = 0;
                    skipFailure = exception.Message;
                }

                var reason = $"the record holds {header.ContentLength:N0} bytes, over the {ByteSize.Format(options.MaxRecordBytes)} limit";
                if (header.ContentLength > options.MaxSkipBytes || skipFailure is not null || skipped < skipLimit)
                {
                    yield return SourceRecord.Failed(id, location, SourceFailure.TooLargeToSkip, reason + "; it is too large to skip safely (a decompression bomb?), so the rest of the file is skipped", header.ContentLength);
                    yield break;
                }

                yield return SourceRecord.Failed(id, location, SourceFailure.RecordTooLarge, reason, header.ContentLength);
                continue;
            }

            var block = new byte[header.ContentLength];
            int got;
            string? corrupt = null;
            try
            {
                got = reader.ReadExactly(block);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                got = 0;
                corrupt = exception.Message;
            }

            if (corrupt is not null)
            {
                yield return SourceRecord.Failed(id, location, SourceFailure.CorruptCompression, $"corrupt or truncated compressed data inside the record: {corrupt}; the rest of the file is skipped", header.ContentLength);
                yield break;
            }

            if (got < block.Length)
            {
                yield return SourceRecord.Failed(id, location, SourceFailure.Truncated, $"truncated: the record declares {header.ContentLength:N0} bytes but the file ends after {got:N0}", got);
                yield break;
            }

            if (!string.Equals(header.Type, "response", StringComparison.OrdinalIgnoreCase))
            {
                yield return SourceRecord.Skip(id, location, $"WARC {header.Type ?? "untyped"} record", block.Length, isPage: false);
                continue;
            }

            yield return ToRecord(id, location, header, block, options);
        }
    }

    private static SourceRecord ToRecord(string id, string location, WarcHeader header, byte[] block, SourceOptions options)
    {
        HttpResponse response;
        try
        {
            response = HttpResponse.Parse(block, options.MaxRecordBytes);
        }
        catch (InvalidDataException exception)
        {
            return SourceRecord.Failed(id, location, SourceFailure.MalformedHttp, $"malformed HTTP response: {exception.Message}", block.Length);
        }

        if (response.Status is < 200 or >= 300)
        {
            return SourceRecord.Skip(id, location, $"HTTP status {response.Status}", block.Length) with { Url = header.TargetUri };
        }

        if (!response.IsHtml)
        {
            var type = response.ContentType?.Split(';')[0].Trim() ?? "unknown";
            return SourceRecord.Skip(id, location, $"not HTML ({type})", block.Length) with { Url = header.TargetUri };
        }

        var decoded = HtmlDecoder.Decode(response.Body, response.Charset);
        return new SourceRecord
        {
            Id = id,
            Location = location,
            Url = header.TargetUri,
            Content = SourceContent.Html,
            Text = decoded.Text,
            RawBytes = block.Length,
        };
    }

    private static WarcHeader? ReadHeader(ByteStreamReader reader, ArrayBufferWriter<byte> line, out string? failure)
    {
        failure = null;

        // Skip blank lines between records; anything else before "WARC/" is garbage to resynchronise past.
        var skippedGarbage = 0L;
        while (true)
        {
            if (!reader.ReadLine(line, MaxHeaderLine, out _))
            {
                if (skippedGarbage > 0)
                {
                    failure = $"{skippedGarbage:N0} bytes of unparseable data before the end of the file";
                }

                return null;
            }

            if (line.WrittenSpan.StartsWith("WARC/"u8))
            {
                break;
            }

            skippedGarbage += line.WrittenCount;
        }

        var header = new WarcHeader();
        while (reader.ReadLine(line, MaxHeaderLine, out var tooLong))
        {
            if (line.WrittenCount == 0)
            {
                if (header.ContentLength < 0)
                {
                    failure = "a WARC record without a valid Content-Length";
                    return null;
                }

                return header;
            }

            if (tooLong)
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(line.WrittenSpan);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = text[..colon].Trim();
            var value = text[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                header.ContentLength = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : -1;
            }
            else if (name.Equals("WARC-Type", StringComparison.OrdinalIgnoreCase))
            {
                header.Type = value;
            }
            else if (name.Equals("WARC-Target-URI", StringComparison.OrdinalIgnoreCase))
            {
                header.TargetUri = value.Trim('<', '>');
            }
            else if (name.Equals("WARC-Record-ID", StringComparison.OrdinalIgnoreCase))
            {
                header.RecordId = value.Trim('<', '>');
            }
        }

        failure = "the file ends inside a WARC header";
        return null;
    }

    private sealed class WarcHeader
    {
        public long ContentLength = -1;
        public string? Type;
        public string? TargetUri;
        public string? RecordId;
    }
}
