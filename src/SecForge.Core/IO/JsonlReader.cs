using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SecForge.Core.Json;

namespace SecForge.Core.IO;

/// <summary>Reads JSON Lines files (plain, .gz or .zst); a malformed line becomes a record with an error, not an exception.</summary>
public static class JsonlReader
{
    /// <summary>Reads each non-blank line of <paramref name="path"/> as a <typeparamref name="T"/>.</summary>
    public static async IAsyncEnumerable<JsonlRecord<T>> ReadAsync<T>(
        string path,
        JsonSerializerOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= SecForgeJson.Compact;
        await foreach (var line in ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            T? value = default;
            string? error = null;
            try
            {
                value = JsonSerializer.Deserialize<T>(line.Text, options);
                if (value is null)
                {
                    error = "the line is JSON null";
                }
            }
            catch (JsonException exception)
            {
                error = $"not valid JSON for {typeof(T).Name}: {exception.Message}";
            }

            yield return new JsonlRecord<T>(path, line.Number, value, error);
        }
    }

    /// <summary>Reads each non-blank line of <paramref name="path"/> with its 1-based line number.</summary>
    public static async IAsyncEnumerable<(long Number, string Text)> ReadLinesAsync(
        string path,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = CompressedFile.OpenRead(path);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (number, line);
            }
        }
    }
}

/// <summary>One line of a JSON Lines file: its value, or the reason it could not be read.</summary>
public readonly record struct JsonlRecord<T>(string Path, long Line, T? Value, string? Error)
{
    /// <summary>True when the line parsed.</summary>
    public bool IsValid => Error is null;
}
