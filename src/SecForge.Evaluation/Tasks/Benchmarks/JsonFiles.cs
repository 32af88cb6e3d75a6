using System.Text;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// Reading benchmark JSON and JSONL item by item: a line or array item that cannot be read is reported with its place
/// (and the loader skips it), bytes that are not UTF-8 mark only the values that hold them, and a file truncated inside
/// an item still gives the items before it. Errors name the file, line and field.
/// </summary>
internal static class JsonFiles
{
    private static readonly Encoding Utf8Marking = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(TabularReader.InvalidByte.ToString()));

    /// <summary>One item of a file: its value, or why it could not be read.</summary>
    public sealed record Item(string Source, long Line, JsonElement Value, InputException? Error)
    {
        public bool IsValid => Error is null;
    }

    /// <summary>Each non-blank line of a JSON Lines file, with its 1-based line number.</summary>
    public static IEnumerable<Item> ReadLines(string path)
    {
        var name = Path.GetFileName(path);
        var line = 0;
        foreach (var text in File.ReadLines(path, Utf8Marking))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement value = default;
            InputException? error = null;
            try
            {
                using var document = JsonDocument.Parse(text.TrimStart('\uFEFF'));
                value = document.RootElement.Clone();
                if (value.ValueKind != JsonValueKind.Object)
                {
                    error = new InputException("expected a JSON object", path, line);
                }
            }
            catch (JsonException exception)
            {
                error = new InputException($"not valid JSON: {FirstSentence(exception.Message)}", path, line);
            }

            yield return new Item($"{name}:{line}", line, value, error);
        }
    }

    /// <summary>
    /// The items of the file's top-level array, or of the array under <paramref name="property"/> of its top-level
    /// object, read one at a time. A file that is not that shape is an <see cref="InputException"/>; a file cut off
    /// inside an item gives the items before it and then one item with the error.
    /// </summary>
    public static List<Item> ReadArray(string path, string? property)
    {
        var items = new List<Item>();
        var name = Path.GetFileName(path);
        var bytes = Encoding.UTF8.GetBytes(File.ReadAllText(path, Utf8Marking).TrimStart('\uFEFF'));
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var lines = new LineCounter(bytes);
        if (!TryRead(ref reader))
        {
            throw new InputException("not valid JSON (empty or unreadable)", path, 1);
        }

        if (property is not null)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InputException($"expected a JSON object with a '{property}' list", path, 1, property);
            }

            var found = false;
            while (TryRead(ref reader) && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(property))
                {
                    found = TryRead(ref reader) && reader.TokenType == JsonTokenType.StartArray;
                    break;
                }

                if (reader.TokenType == JsonTokenType.PropertyName && !TrySkip(ref reader))
                {
                    break;
                }
            }

            if (!found)
            {
                throw new InputException($"expected {{\"{property}\": [...]}}", path, 1, property);
            }
        }
        else if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InputException("expected a JSON list", path, 1);
        }

        var index = 0;
        while (true)
        {
            var position = reader.BytesConsumed;
            JsonElement? value;
            string? failure = null;
            try
            {
                if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
                {
                    return items;
                }

                position = reader.TokenStartIndex;
                using var document = JsonDocument.ParseValue(ref reader);
                value = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                value = null;
                failure = FirstSentence(exception.Message);
            }

            var line = lines.LineAt(position);
            var source = $"{name}[{index}]";
            if (value is null)
            {
                items.Add(new Item(source, line, default, new InputException($"the file is cut off or malformed inside this item ({failure}); the items after it cannot be read", path, line)));
                return items;
            }

            items.Add(new Item(source, line, value.Value, value.Value.ValueKind == JsonValueKind.Object ? null : new InputException("expected a JSON object", path, line)));
            index++;
        }
    }

    public static string RequiredString(JsonElement element, string field, string path, long? line)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InputException("missing or not a string", path, line, field);
        }

        var text = Checked(value.GetString()!, field, path, line);
        return string.IsNullOrWhiteSpace(text) ? throw new InputException("empty", path, line, field) : text.Trim();
    }

    public static string? OptionalString(JsonElement element, string field) =>
        element.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static List<string> RequiredStrings(JsonElement element, string field, string path, long? line)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new InputException("missing, empty or not a list of strings", path, line, field);
        }

        return value.EnumerateArray().Select(v => Checked(v.GetString()!, field, path, line).Trim()).ToList();
    }

    /// <summary>Refuses a value holding bytes that were not UTF-8.</summary>
    public static string Checked(string text, string field, string path, long? line) =>
        text.Contains(TabularReader.InvalidByte, StringComparison.Ordinal) ? throw new InputException("not valid UTF-8", path, line, field) : text;

    private static bool TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TrySkip(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() && reader.TrySkip();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    /// <summary>Line numbers of byte offsets, counted forward as the items are read.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private long _line = 1;

        public long LineAt(long offset)
        {
            for (; _offset < offset && _offset < bytes.Length; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
