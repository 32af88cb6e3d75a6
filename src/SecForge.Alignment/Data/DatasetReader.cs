using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Serialization;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Evaluation.Data;

namespace SecForge.Alignment.Data;

/// <summary>
/// Reads instruction datasets record by record: JSONL (plain, .gz, .zst) and JSON arrays are streamed; CSV is read
/// whole (quoted fields may span lines); Parquet one row group at a time. A record that cannot be parsed comes back
/// with its error (counted and logged by the caller), not as an exception.
/// </summary>
public static class DatasetReader
{
    public static async IAsyncEnumerable<DatasetRecord> ReadAsync(string path, DatasetShape shape, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!File.Exists(path))
        {
            throw new InputException("input file not found", path);
        }

        var records = shape.Container switch
        {
            DatasetContainer.Jsonl => ReadJsonlAsync(path, cancellationToken),
            DatasetContainer.Json => ReadJsonAsync(path, cancellationToken),
            DatasetContainer.Csv => ReadCsv(path, shape).ToAsyncEnumerable(),
            _ => ReadParquetAsync(path, shape, cancellationToken),
        };
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    private static async IAsyncEnumerable<DatasetRecord> ReadJsonlAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long index = 0;
        await foreach (var (line, text) in JsonlReader.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            JsonObject? data = null;
            string? error = null;
            try
            {
                data = JsonNode.Parse(text) as JsonObject;
                error = data is null ? "not a JSON object" : null;
            }
            catch (JsonException exception)
            {
                error = "invalid JSON: " + exception.Message;
            }

            yield return new DatasetRecord { Index = index++, Line = line, Data = data, Error = error };
        }
    }

    private static async IAsyncEnumerable<DatasetRecord> ReadJsonAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = CompressedFile.OpenRead(path);
        long index = 0;
        IAsyncEnumerable<JsonNode?> items;
        try
        {
            items = JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(stream, topLevelValues: false, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new InputException("not a JSON array of records: " + exception.Message, path, null, null, exception);
        }

        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (JsonException exception)
                {
                    throw new InputException($"invalid JSON after record {index}: {exception.Message}", path, index + 1, null, exception);
                }

                var node = enumerator.Current;
                yield return node is JsonObject data
                    ? new DatasetRecord { Index = index, Line = index + 1, Data = data }
                    : new DatasetRecord { Index = index, Line = index + 1, Error = "not a JSON object" };
                index++;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IEnumerable<DatasetRecord> ReadCsv(string path, DatasetShape shape)
    {
        var rows = TabularReader.ReadAll(path, ',');
        if (rows.Count == 0)
        {
            throw new InputException("the CSV file is empty (a header row is needed)", path);
        }

        var header = rows[0].Fields.Select(f => f.Trim()).ToList();
        shape.CsvColumns = header;
        long index = 0;
        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Count == 1 && row.Fields[0].Length == 0)
            {
                continue;
            }

            if (row.Fields.Count != header.Count)
            {
                yield return new DatasetRecord { Index = index++, Line = row.Line, Error = $"{row.Fields.Count} fields where the header has {header.Count}" };
                continue;
            }

            var data = new JsonObject();
            for (var i = 0; i < header.Count; i++)
            {
                data[header[i]] = row.Fields[i];
            }

            yield return new DatasetRecord { Index = index++, Line = row.Line, Data = data };
        }
    }

    private static async IAsyncEnumerable<DatasetRecord> ReadParquetAsync(string path, DatasetShape shape, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int groups;
        await using (var probe = File.OpenRead(path))
        {
            try
            {
                await using var reader = await Parquet.ParquetReader.CreateAsync(probe, cancellationToken: cancellationToken).ConfigureAwait(false);
                groups = reader.RowGroupCount;
                shape.ParquetSchema = reader.Schema;
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
            {
                throw new InputException("not a readable Parquet file: " + exception.Message, path, null, null, exception);
            }
        }

        long index = 0;
        for (var group = 0; group < groups; group++)
        {
            await using var stream = File.OpenRead(path);
            var result = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var row in result.Data)
            {
                var native = (IDictionary<string, object?>)row!;
                yield return new DatasetRecord { Index = index, Line = index + 1, Data = (JsonObject)ToJson(native)!, Native = native };
                index++;
            }
        }
    }

    /// <summary>A Parquet value (primitive, list, or struct as a dictionary) as JSON.</summary>
    internal static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        IDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        IDictionary dictionary => new JsonObject(dictionary.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture)!, ToJson(dictionary[k])))),
        byte[] bytes => JsonValue.Create(Encoding.UTF8.GetString(bytes)),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        DateTime time => JsonValue.Create(time),
        DateTimeOffset time => JsonValue.Create(time),
        bool b => JsonValue.Create(b),
        int or long or short or byte or sbyte or uint or ulong or ushort => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
