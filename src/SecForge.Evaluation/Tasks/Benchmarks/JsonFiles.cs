using System.Text;
using System.Text.Json;
using SecForge.Core.Errors;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>Reading benchmark JSON and JSONL with errors that name the file, line and field.</summary>
internal static class JsonFiles
{
    public static JsonElement ReadDocument(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path, new UTF8Encoding(false, true)));
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new InputException($"not valid JSON: {exception.Message}", path, exception.LineNumber + 1);
        }
        catch (DecoderFallbackException)
        {
            throw new InputException("not valid UTF-8", path);
        }
    }

    /// <summary>Each non-empty line as a JSON object, with its 1-based line number.</summary>
    public static IEnumerable<(int Line, JsonElement Value)> ReadLines(string path)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path, new UTF8Encoding(false, true)))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement value;
            try
            {
                using var document = JsonDocument.Parse(text);
                value = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new InputException($"not valid JSON: {exception.Message}", path, line);
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("expected a JSON object", path, line);
            }

            yield return (line, value);
        }
    }

    public static string RequiredString(JsonElement element, string field, string path, long? line)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new InputException("missing, empty or not a string", path, line, field);
        }

        return value.GetString()!.Trim();
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

        return value.EnumerateArray().Select(v => v.GetString()!.Trim()).ToList();
    }
}
