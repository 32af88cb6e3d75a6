using Parquet;
using Parquet.Schema;

namespace SecForge.Curation.Sources;

/// <summary>Reads Parquet corpora row group by row group (bounded memory) with configurable text, id and URL columns.</summary>
public static class ParquetDocumentReader
{
    /// <summary>Reads the records of <paramref name="path"/>.</summary>
    public static IEnumerable<SourceRecord> Read(string path, SourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = Path.GetFileName(path);
        ParquetReader reader;
        string? openFailure = null;
        try
        {
            reader = ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            reader = null!;
            openFailure = exception.Message;
        }

        if (openFailure is not null)
        {
            yield return SourceRecord.Failed(name, name, SourceFailure.UnreadableParquet, $"not a readable Parquet file: {openFailure}");
            yield break;
        }

        try
        {
            var fields = reader.Schema.GetDataFields();
            var text = fields.FirstOrDefault(f => f.Name == options.TextField);
            if (text is null)
            {
                yield return SourceRecord.Failed(name, name, SourceFailure.MissingText, $"no column '{options.TextField}' (columns: {string.Join(", ", fields.Select(f => f.Name))})");
                yield break;
            }

            var id = fields.FirstOrDefault(f => f.Name == options.IdField);
            var url = fields.FirstOrDefault(f => f.Name == options.UrlField);
            long row = 0;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string?[] texts;
                string?[]? ids;
                string?[]? urls;
                string? columnFailure = null;
                try
                {
                    using var groupReader = reader.OpenRowGroupReader(group);
                    texts = ReadColumn(groupReader, text);
                    ids = id is null ? null : ReadColumn(groupReader, id);
                    urls = url is null ? null : ReadColumn(groupReader, url);
                }
                catch (Exception exception) when (exception is InvalidDataException or IOException or NotSupportedException or InvalidOperationException)
                {
                    texts = [];
                    ids = null;
                    urls = null;
                    columnFailure = exception.Message;
                }

                if (columnFailure is not null)
                {
                    yield return SourceRecord.Failed($"{name} row group {group}", $"{name} row group {group}", SourceFailure.UnreadableParquet, $"unreadable row group: {columnFailure}; the rest of the file is skipped");
                    yield break;
                }

                for (var i = 0; i < texts.Length; i++)
                {
                    row++;
                    var location = $"{name} row {row}";
                    var value = texts[i]?.ToString();
                    if (value is null)
                    {
                        yield return SourceRecord.Failed(location, location, SourceFailure.MissingText, $"column '{options.TextField}' is null");
                        continue;
                    }

                    var bytes = System.Text.Encoding.UTF8.GetByteCount(value);
                    if (bytes > options.MaxRecordBytes)
                    {
                        yield return SourceRecord.Failed(location, location, SourceFailure.RecordTooLarge, $"the text is longer than the {Core.IO.ByteSize.Format(options.MaxRecordBytes)} record limit", bytes);
                        continue;
                    }

                    yield return new SourceRecord
                    {
                        Id = ids?[i]?.ToString() ?? location,
                        Location = location,
                        Url = urls?[i]?.ToString(),
                        Content = options.Content,
                        Text = value,
                        RawBytes = bytes,
                    };
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string?[] ReadColumn(ParquetRowGroupReader group, DataField field)
    {
        var values = new string?[group.RowCount];
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            group.ReadAsync(field, values.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return values;
        }

        if (field.ClrType == typeof(long))
        {
            var numbers = new long?[group.RowCount];
            group.ReadAsync(field, numbers.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < numbers.Length; i++)
            {
                values[i] = numbers[i]?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return values;
        }

        if (field.ClrType == typeof(int))
        {
            var numbers = new int?[group.RowCount];
            group.ReadAsync(field, numbers.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < numbers.Length; i++)
            {
                values[i] = numbers[i]?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return values;
        }

        throw new InvalidDataException($"column '{field.Name}' has type {field.ClrType.Name}; SecForge reads string, int and long columns");
    }
}
