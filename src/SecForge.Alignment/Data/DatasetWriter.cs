using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Serialization;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.Alignment.Data;

/// <summary>
/// Writes records in the input's container and layout: JSONL, a JSON array, CSV with the input's columns in their
/// order, or Parquet with the input's schema. Written to a temporary name and moved into place on completion.
/// </summary>
public sealed class DatasetWriter : IDisposable
{
    private static readonly JsonSerializerOptions Options = SecForgeJson.Compact;
    private readonly string _path;
    private readonly string _temporary;
    private readonly DatasetShape _shape;
    private readonly FileStream? _stream;
    private readonly StreamWriter? _text;
    private readonly List<IDictionary<string, object?>>? _rows;
    private long _count;
    private bool _completed;

    public DatasetWriter(string path, DatasetShape shape)
    {
        _path = Path.GetFullPath(path);
        _shape = shape ?? throw new ArgumentNullException(nameof(shape));
        _temporary = AtomicFile.TemporaryNameFor(_path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (shape.Container == DatasetContainer.Parquet)
        {
            _rows = [];
            return;
        }

        _stream = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _text = new StreamWriter(_stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        if (shape.Container == DatasetContainer.Json)
        {
            _text.Write('[');
        }
        else if (shape.Container == DatasetContainer.Csv)
        {
            _text.WriteLine(string.Join(',', (shape.CsvColumns ?? []).Select(Csv)));
        }
    }

    public long Count => _count;

    /// <summary>Appends one record (<paramref name="native"/> is the Parquet row, when the input was Parquet).</summary>
    public void Write(JsonObject record, IDictionary<string, object?>? native = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (_shape.Container)
        {
            case DatasetContainer.Jsonl:
                _text!.WriteLine(record.ToJsonString(Options));
                break;
            case DatasetContainer.Json:
                _text!.Write(_count == 0 ? "\n  " : ",\n  ");
                _text.Write(record.ToJsonString(Options));
                break;
            case DatasetContainer.Csv:
                _text!.WriteLine(string.Join(',', (_shape.CsvColumns ?? []).Select(c => Csv(record[c] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : record[c]?.ToJsonString() ?? string.Empty))));
                break;
            default:
                _rows!.Add(native ?? throw new InvalidOperationException("a Parquet row is needed to write Parquet"));
                break;
        }

        _count++;
    }

    /// <summary>Finishes the file and moves it into place.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_shape.Container == DatasetContainer.Parquet)
        {
            await using (var stream = new FileStream(_temporary, FileMode.Create, FileAccess.Write))
            {
                await ParquetSerializer.SerializeUntypedAsync(_rows!, _shape.ParquetSchema!, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (_shape.Container == DatasetContainer.Json)
            {
                _text!.Write(_count == 0 ? "]\n" : "\n]\n");
            }

            await _text!.FlushAsync(cancellationToken).ConfigureAwait(false);
            _stream!.Flush(flushToDisk: true);
            await _text.DisposeAsync().ConfigureAwait(false);
        }

        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        _text?.Dispose();
        if (!_completed && File.Exists(_temporary))
        {
            File.Delete(_temporary);
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
