using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace SecForge.Curation.Sources;

/// <summary>An HTTP response as a WARC response record holds it: status, headers and the decoded body.</summary>
internal sealed record HttpResponse(int Status, string? ContentType, string? Charset, byte[] Body)
{
    /// <summary>True for text/html and XHTML.</summary>
    public bool IsHtml =>
        ContentType is null ||
        ContentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ||
        ContentType.StartsWith("application/xhtml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <paramref name="block"/>; removes chunked transfer encoding and gzip/deflate/brotli content encoding,
    /// never producing a body over <paramref name="maxBytes"/> (a larger one is an error: a decompression bomb).
    /// </summary>
    public static HttpResponse Parse(ReadOnlySpan<byte> block, long maxBytes)
    {
        var headerEnd = block.IndexOf("\r\n\r\n"u8);
        var separator = 4;
        if (headerEnd < 0)
        {
            headerEnd = block.IndexOf("\n\n"u8);
            separator = 2;
        }

        if (headerEnd < 0)
        {
            throw new InvalidDataException("the HTTP response has no end of headers");
        }

        var headerText = Encoding.Latin1.GetString(block[..headerEnd]);
        var lines = headerText.Split('\n');
        var statusParts = lines[0].Trim().Split(' ', 3);
        if (statusParts.Length < 2 || !statusParts[0].StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) ||
            !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"not an HTTP status line: '{Truncate(lines[0].Trim())}'");
        }

        string? contentType = null;
        string? transferEncoding = null;
        string? contentEncoding = null;
        foreach (var raw in lines.Skip(1))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = value;
            }
            else if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                contentEncoding = value;
            }
        }

        var body = block[(headerEnd + separator)..].ToArray();
        if (transferEncoding?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = Dechunk(body);
        }

        if (contentEncoding is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            body = Decompress(body, encoding, maxBytes);
        }

        return new HttpResponse(status, contentType, CharsetOf(contentType), body);
    }

    private static string? CharsetOf(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var index = contentType.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return null;
        }

        var value = contentType[(index + 8)..].Trim().Trim('"', '\'');
        var end = value.IndexOfAny([';', ' ', ',']);
        return end < 0 ? value : value[..end];
    }

    private static byte[] Dechunk(byte[] body)
    {
        // A body that does not parse as chunks is kept as it is: many archives store the decoded body
        // but keep the original header.
        using var output = new MemoryStream(body.Length);
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = Array.IndexOf(body, (byte)'\n', position);
            if (lineEnd < 0)
            {
                return body;
            }

            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd - position).Trim();
            var semicolon = sizeText.IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return body;
            }

            if (size == 0)
            {
                return output.ToArray();
            }

            var start = lineEnd + 1;
            if (start + size > body.Length)
            {
                return body;
            }

            output.Write(body, start, size);
            position = start + size;
            while (position < body.Length && body[position] is (byte)'\r' or (byte)'\n')
            {
                position++;
            }
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] body, string encoding, long maxBytes)
    {
        using var input = new MemoryStream(body);
        Stream decoder = encoding.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => throw new InvalidDataException($"unsupported content encoding '{encoding}'"),
        };
        using (decoder)
        {
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = decoder.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new InvalidDataException($"the {encoding}-encoded body decompresses to more than {Core.IO.ByteSize.Format(maxBytes)} (a decompression bomb?)");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
    }

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
