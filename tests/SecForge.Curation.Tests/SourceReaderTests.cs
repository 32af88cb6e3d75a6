using System.IO.Compression;
using System.Text;
using Parquet;
using Parquet.Schema;
using SecForge.Curation.Sources;
using SecForge.Curation.Writers;
using SecForge.Testing;
using ZstdSharp;

namespace SecForge.Curation.Tests;

public sealed class SourceReaderTests
{
    private static readonly DateTimeOffset Date = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static string WriteWarc(TempDirectory directory, Action<WarcWriter> write, bool gzip = true, string name = "crawl.warc.gz")
    {
        var path = directory.File(name);
        using var file = File.Create(path);
        using var warc = new WarcWriter(file, gzip);
        write(warc);
        return path;
    }

    [Fact]
    public void Warc_YieldsHtmlResponses_AndSkipsEverythingElseWithAReason()
    {
        using var directory = new TempDirectory();
        var path = WriteWarc(directory, warc =>
        {
            warc.WriteInfo("00000000-0000-0000-0000-000000000001", Date, "crawl.warc.gz", "test");
            warc.WriteRequest("00000000-0000-0000-0000-000000000002", Date, "https://a.example/page");
            warc.WriteResponse("00000000-0000-0000-0000-000000000003", Date, "https://a.example/page", 200, "text/html; charset=utf-8", "<html><body><p>Hello ümlaut</p></body></html>"u8);
            warc.WriteResponse("00000000-0000-0000-0000-000000000004", Date, "https://a.example/logo.png", 200, "image/png", new byte[] { 137, 80, 78, 71 });
            warc.WriteResponse("00000000-0000-0000-0000-000000000005", Date, "https://a.example/old", 301, "text/html", "<html></html>"u8);
            warc.WriteRecord("metadata", "00000000-0000-0000-0000-000000000006", Date, "https://a.example/page", "application/warc-fields", "x: y\r\n"u8);
        });

        var records = WarcReader.Read(path, new SourceOptions()).ToList();

        Assert.Equal(6, records.Count);
        var page = Assert.Single(records, r => r.Text is not null);
        Assert.Equal("https://a.example/page", page.Url);
        Assert.Equal("urn:uuid:00000000-0000-0000-0000-000000000003", page.Id);
        Assert.Equal(SourceContent.Html, page.Content);
        Assert.Contains("Hello ümlaut", page.Text, StringComparison.Ordinal);
        Assert.Equal(
            ["HTTP status 301", "WARC metadata record", "WARC request record", "WARC warcinfo record", "not HTML (image/png)"],
            records.Where(r => r.Skipped is not null).Select(r => r.Skipped!).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Null(r.Failure));
    }

    [Fact]
    public void Warc_TakesTheCharsetFromTheHttpHeader_ThenFromTheMetaTag()
    {
        using var directory = new TempDirectory();
        var latin = LegacyEncodings.Get("1252");
        var path = WriteWarc(directory, warc =>
        {
            warc.WriteResponse("00000000-0000-0000-0000-000000000001", Date, "https://a.example/1", 200, "text/html; charset=windows-1252", latin.GetBytes("<html><body><p>déjà vu</p></body></html>"));
            warc.WriteResponse("00000000-0000-0000-0000-000000000002", Date, "https://a.example/2", 200, "text/html", latin.GetBytes("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>crème brûlée</p></body></html>"));
        }, gzip: false, name: "plain.warc");

        var texts = WarcReader.Read(path, new SourceOptions()).Select(r => r.Text).ToList();

        Assert.Contains("déjà vu", texts[0], StringComparison.Ordinal);
        Assert.Contains("crème brûlée", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Warc_DecodesChunkedAndGzipEncodedBodies()
    {
        using var directory = new TempDirectory();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("<html><body><p>compressed body</p></body></html>"u8);
        }

        var chunked = Encoding.ASCII.GetBytes("10\r\n<html><body><p>c\r\n1d\r\nhunked body</p></body></html>\r\n0\r\n\r\n");
        var path = WriteWarc(directory, warc =>
        {
            warc.WriteResponse("00000000-0000-0000-0000-000000000001", Date, "https://a.example/gz", 200, "text/html", compressed.ToArray(), [("Content-Encoding", "gzip")]);
            warc.WriteResponse("00000000-0000-0000-0000-000000000002", Date, "https://a.example/chunked", 200, "text/html", chunked, [("Transfer-Encoding", "chunked")]);
        });

        var texts = WarcReader.Read(path, new SourceOptions()).Select(r => r.Text).ToList();

        Assert.Contains("compressed body", texts[0], StringComparison.Ordinal);
        Assert.Contains("<p>chunked body</p>", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Warc_TruncatedGzip_IsAFailedRecord_AfterTheRecordsBeforeIt()
    {
        using var directory = new TempDirectory();
        var path = WriteWarc(directory, warc =>
        {
            for (var i = 0; i < 3; i++)
            {
                warc.WriteResponse($"00000000-0000-0000-0000-00000000000{i}", Date, $"https://a.example/{i}", 200, "text/html", Encoding.UTF8.GetBytes($"<html><body><p>page {i} {new string('x', 2000)}</p></body></html>"));
            }
        });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);

        var records = WarcReader.Read(path, new SourceOptions()).ToList();

        Assert.Equal(2, records.Count(r => r.Text is not null));
        var failed = Assert.Single(records, r => r.Failure is not null);
        Assert.Contains("truncated", failed.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Warc_AnOversizedRecord_FailsAndReadingContinues()
    {
        using var directory = new TempDirectory();
        var path = WriteWarc(directory, warc =>
        {
            warc.WriteResponse("00000000-0000-0000-0000-000000000001", Date, "https://a.example/big", 200, "text/html", Encoding.UTF8.GetBytes("<html><body><p>" + new string('a', 200_000) + "</p></body></html>"));
            warc.WriteResponse("00000000-0000-0000-0000-000000000002", Date, "https://a.example/small", 200, "text/html", "<html><body><p>small page</p></body></html>"u8);
        });

        var records = WarcReader.Read(path, new SourceOptions { MaxRecordBytes = 100_000 }).ToList();

        Assert.Contains("over the 97.7 KiB limit", records[0].Failure, StringComparison.Ordinal);
        Assert.Equal(SourceFailure.RecordTooLarge, records[0].FailureCode);
        Assert.Contains("small page", records[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Warc_ADecompressionBomb_IsBounded()
    {
        using var directory = new TempDirectory();
        var path = directory.File("bomb.warc.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            // A record claiming 10 GiB of zeros: a few MB compressed, far more than the skip limit.
            var header = Encoding.ASCII.GetBytes("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 10737418240\r\n\r\n");
            gzip.Write(header);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var records = WarcReader.Read(path, new SourceOptions { MaxRecordBytes = 1 << 20, MaxSkipBytes = 8 << 20 }).ToList();

        var failed = Assert.Single(records);
        Assert.Contains("decompression bomb", failed.Failure, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Jsonl_ReadsConfiguredFields_AndFailsBadLinesWithTheirNumber()
    {
        using var directory = new TempDirectory();
        var path = directory.File("docs.jsonl.zst");
        var lines = new List<byte[]>
        {
            """{"doc_id": 7, "body": {"content": "first text"}, "link": "https://a.example/1"}"""u8.ToArray(),
            """{"doc_id": 8, "title": "no body"}"""u8.ToArray(),
            new byte[] { 0x7B, 0x22, 0x62, 0x6F, 0x64, 0x79, 0x22, 0x3A, 0xC3, 0x28, 0x7D },
            """not json at all"""u8.ToArray(),
            """{"doc_id": 9, "body": {"content": "last text"}}"""u8.ToArray(),
        };
        using (var file = File.Create(path))
        using (var zstd = new CompressionStream(file))
        {
            foreach (var line in lines)
            {
                zstd.Write(line);
                zstd.WriteByte((byte)'\n');
            }
        }

        var records = JsonlDocumentReader.Read(path, new SourceOptions { TextField = "body.content", IdField = "doc_id", UrlField = "link" }).ToList();

        Assert.Equal("7", records[0].Id);
        Assert.Equal("first text", records[0].Text);
        Assert.Equal("https://a.example/1", records[0].Url);
        Assert.Equal("docs.jsonl.zst:2", records[1].Location);
        Assert.Equal("field 'body.content' is missing or not a string", records[1].Failure);
        Assert.Equal("the line is not valid UTF-8", records[2].Failure);
        Assert.StartsWith("not valid JSON", records[3].Failure, StringComparison.Ordinal);
        Assert.Equal("last text", records[4].Text);
    }

    [Fact]
    public void Jsonl_ALineOverTheLimit_FailsWithoutReadingItWhole()
    {
        using var directory = new TempDirectory();
        var path = directory.File("big.jsonl");
        File.WriteAllText(path, "{\"text\": \"" + new string('x', 3_000_000) + "\"}\n{\"text\": \"fine\"}\n");

        var records = JsonlDocumentReader.Read(path, new SourceOptions { MaxRecordBytes = 1 << 20 }).ToList();

        Assert.Contains("longer than the 1 MiB record limit", records[0].Failure, StringComparison.Ordinal);
        Assert.Equal("fine", records[1].Text);
    }

    [Fact]
    public async Task Parquet_ReadsTheTextIdAndUrlColumns()
    {
        using var directory = new TempDirectory();
        var path = directory.File("docs.parquet");
        var schema = new ParquetSchema(new DataField<string>("text"), new DataField<long>("id"), new DataField<string>("url"));
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, file, cancellationToken: TestContext.Current.CancellationToken);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.DataFields[0], new[] { "alpha text", "beta text" });
            await group.WriteAsync(schema.DataFields[1], new ReadOnlyMemory<long>([1L, 2L]), null, null, TestContext.Current.CancellationToken);
            await group.WriteAsync(schema.DataFields[2], new[] { "https://a.example/a", "https://a.example/b" });
        }

        var records = ParquetDocumentReader.Read(path, new SourceOptions()).ToList();

        Assert.All(records, r => Assert.Null(r.Failure));
        Assert.Equal(["alpha text", "beta text"], records.Select(r => r.Text));
        Assert.Equal(["1", "2"], records.Select(r => r.Id));
        Assert.Equal("https://a.example/b", records[1].Url);
    }

    [Fact]
    public void Files_AreReadByFormat_AndBadOnesFail()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("notes.md"), "# Notes\n\nRotate the keys.");
        File.WriteAllBytes(directory.File("broken.txt"), [0x61, 0xFF, 0x62]);
        File.WriteAllText(directory.File("report.pdf"), "%PDF-1.4 this is not really a pdf");
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        page.AddText("Incident report for the ransomware outbreak", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        File.WriteAllBytes(directory.File("real.pdf"), builder.Build());

        var text = FileDocumentReader.Read([directory.File("notes.md"), directory.File("broken.txt")], InputFormat.Text, directory.Path, new SourceOptions()).ToList();
        var pdfs = FileDocumentReader.Read([directory.File("real.pdf"), directory.File("report.pdf")], InputFormat.Pdf, directory.Path, new SourceOptions()).ToList();

        Assert.Equal("# Notes\n\nRotate the keys.", text[0].Text);
        Assert.Equal("notes.md", text[0].Id);
        Assert.Equal("the file is not valid UTF-8", text[1].Failure);
        Assert.Equal("Incident report for the ransomware outbreak", pdfs[0].Text);
        Assert.StartsWith("cannot read the PDF file", pdfs[1].Failure, StringComparison.Ordinal);
    }
}
