using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace SecForge.Curation.Writers;

/// <summary>
/// Writes WARC/1.1 files, each record its own gzip member as Common Crawl does (so readers can seek to a
/// record). Used for sample crawls and tests; record ids and dates are passed in, so output is reproducible.
/// </summary>
public sealed class WarcWriter : IDisposable
{
    private readonly Stream _output;
    private readonly bool _gzip;

    public WarcWriter(Stream output, bool gzip = true)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _gzip = gzip;
    }

    /// <summary>Writes a warcinfo record.</summary>
    public void WriteInfo(string recordId, DateTimeOffset date, string fileName, string software) =>
        WriteRecord("warcinfo", recordId, date, null, "application/warc-fields", Encoding.UTF8.GetBytes($"software: {software}\r\nformat: WARC File Format 1.1\r\n"), ("WARC-Filename", fileName));

    /// <summary>Writes a request record for <paramref name="uri"/>.</summary>
    public void WriteRequest(string recordId, DateTimeOffset date, string uri)
    {
        var target = new Uri(uri);
        var request = $"GET {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Host}\r\nUser-Agent: SecForge-sample/1.0\r\n\r\n";
        WriteRecord("request", recordId, date, uri, "application/http; msgtype=request", Encoding.ASCII.GetBytes(request));
    }

    /// <summary>Writes a response record with an HTTP status line, headers and <paramref name="body"/>.</summary>
    public void WriteResponse(string recordId, DateTimeOffset date, string uri, int status, string contentType, ReadOnlySpan<byte> body, IEnumerable<(string Name, string Value)>? extraHeaders = null)
    {
        var http = new StringBuilder();
        http.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
        http.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        http.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        foreach (var (name, value) in extraHeaders ?? [])
        {
            http.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        http.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(http.ToString());
        var block = new byte[head.Length + body.Length];
        head.CopyTo(block, 0);
        body.CopyTo(block.AsSpan(head.Length));
        WriteRecord("response", recordId, date, uri, "application/http; msgtype=response", block);
    }

    /// <summary>Writes any record.</summary>
    public void WriteRecord(string type, string recordId, DateTimeOffset date, string? targetUri, string contentType, ReadOnlySpan<byte> block, params (string Name, string Value)[] extra)
    {
        var header = new StringBuilder();
        header.Append("WARC/1.1\r\n");
        header.Append(CultureInfo.InvariantCulture, $"WARC-Type: {type}\r\n");
        header.Append(CultureInfo.InvariantCulture, $"WARC-Record-ID: <urn:uuid:{recordId}>\r\n");
        header.Append(CultureInfo.InvariantCulture, $"WARC-Date: {date.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\r\n");
        if (targetUri is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"WARC-Target-URI: {targetUri}\r\n");
        }

        foreach (var (name, value) in extra)
        {
            header.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        header.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        header.Append(CultureInfo.InvariantCulture, $"Content-Length: {block.Length}\r\n\r\n");
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        if (_gzip)
        {
            // One gzip member per record; the fixed header (no name, no time) keeps output reproducible.
            using var member = new GZipStream(_output, CompressionLevel.Optimal, leaveOpen: true);
            member.Write(headerBytes);
            member.Write(block);
            member.Write("\r\n\r\n"u8);
        }
        else
        {
            _output.Write(headerBytes);
            _output.Write(block);
            _output.Write("\r\n\r\n"u8);
        }
    }

    /// <summary>Pushes written records to the file, so a crash loses at most the record being written.</summary>
    public void Flush() => _output.Flush();

    public void Dispose() => _output.Flush();

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        _ => "Status",
    };
}
