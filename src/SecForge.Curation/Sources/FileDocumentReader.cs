using System.Text;
using SecForge.Curation.Extraction;
using UglyToad.PdfPig;

namespace SecForge.Curation.Sources;

/// <summary>Reads loose files of a folder: HTML pages, Markdown and text files, and PDFs (their text, page by page).</summary>
public static class FileDocumentReader
{
    /// <summary>Reads <paramref name="files"/> (all of one format) in order; <paramref name="root"/> makes ids relative.</summary>
    public static IEnumerable<SourceRecord> Read(IReadOnlyList<string> files, InputFormat format, string? root, SourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = root is null ? Path.GetFileName(file) : Path.GetRelativePath(root, file).Replace('\\', '/');
            yield return ReadOne(file, id, format, options);
        }
    }

    private static SourceRecord ReadOne(string file, string id, InputFormat format, SourceOptions options)
    {
        long length;
        try
        {
            length = new FileInfo(file).Length;
        }
        catch (IOException exception)
        {
            return SourceRecord.Failed(id, id, SourceFailure.UnreadableFile, $"cannot read the file: {exception.Message}");
        }

        if (length > options.MaxRecordBytes)
        {
            return SourceRecord.Failed(id, id, SourceFailure.RecordTooLarge, $"the file holds {length:N0} bytes, over the {Core.IO.ByteSize.Format(options.MaxRecordBytes)} record limit", length);
        }

        try
        {
            switch (format)
            {
                case InputFormat.Html:
                    {
                        var decoded = HtmlDecoder.Decode(File.ReadAllBytes(file));
                        return new SourceRecord { Id = id, Location = id, Content = SourceContent.Html, Text = decoded.Text, RawBytes = length };
                    }

                case InputFormat.Text:
                    {
                        var bytes = File.ReadAllBytes(file);
                        var span = bytes.AsSpan();
                        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                        {
                            span = span[3..];
                        }

                        if (!System.Text.Unicode.Utf8.IsValid(span))
                        {
                            return SourceRecord.Failed(id, id, SourceFailure.InvalidUtf8, "the file is not valid UTF-8", length);
                        }

                        return new SourceRecord { Id = id, Location = id, Content = SourceContent.Text, Text = Encoding.UTF8.GetString(span), RawBytes = length };
                    }

                case InputFormat.Pdf:
                    return new SourceRecord { Id = id, Location = id, Content = SourceContent.Text, Text = PdfText(file), RawBytes = length };
                default:
                    return SourceRecord.Failed(id, id, SourceFailure.UnreadableFile, $"{format} is not a loose-file format");
            }
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            // PDF parsing in particular fails in many ways on malformed files; the file is a failed record.
            return SourceRecord.Failed(id, id, SourceFailure.UnreadableDocument, $"cannot read the {format.ToString().ToUpperInvariant()} file: {exception.Message}", length);
        }
    }

    private static string PdfText(string file)
    {
        using var document = PdfDocument.Open(file);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            var words = page.GetWords().Select(w => w.Text);
            text.AppendJoin(' ', words).Append("\n\n");
        }

        return text.ToString().Trim();
    }
}
