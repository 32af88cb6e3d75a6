using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Errors;

namespace SecForge.Alignment.Data;

/// <summary>Finds the exchanges of a record, replaces replies, and renders records as chat messages.</summary>
public static class Conversations
{
    /// <summary>
    /// The exchanges of a record: Alpaca has one; ShareGPT and chat records have one per assistant turn, each with
    /// the user turn before it. A missing or mistyped field is an <see cref="InputException"/> naming it.
    /// </summary>
    public static List<Exchange> Extract(JsonObject data, DatasetFormat format, FieldMap map, string path, long line)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(map);
        if (format == DatasetFormat.Alpaca)
        {
            var instruction = Text(data, map.Instruction, path, line, required: true)!;
            var input = Text(data, map.Input, path, line, required: false) ?? string.Empty;
            var output = Text(data, map.Output, path, line, required: true)!;
            return [new Exchange([map.Output], Text(data, map.System, path, line, required: false), instruction, input, output)];
        }

        var (listName, speakerKey, textKey) = format == DatasetFormat.ShareGpt ? (map.Conversations, map.From, map.Value) : (map.Messages, map.Role, map.Content);
        if (data[listName] is not JsonArray turns)
        {
            throw new InputException("missing or not a list", path, line, listName);
        }

        var exchanges = new List<Exchange>();
        string? system = null;
        string? user = null;
        for (var i = 0; i < turns.Count; i++)
        {
            if (turns[i] is not JsonObject turn)
            {
                throw new InputException($"turn {i} of '{listName}' is not an object", path, line, listName);
            }

            var speaker = Text(turn, speakerKey, path, line, required: true, prefix: $"{listName}[{i}].")!;
            var text = Text(turn, textKey, path, line, required: true, prefix: $"{listName}[{i}].")!;
            if (speaker.Equals("system", StringComparison.OrdinalIgnoreCase))
            {
                system = text;
            }
            else if (map.UserRoles.Contains(speaker, StringComparer.OrdinalIgnoreCase))
            {
                user = text;
            }
            else if (map.AssistantRoles.Contains(speaker, StringComparer.OrdinalIgnoreCase))
            {
                exchanges.Add(new Exchange([listName, i, textKey], system, user ?? string.Empty, string.Empty, text));
            }
        }

        return exchanges;
    }

    /// <summary>A copy of <paramref name="data"/> with each reply at its path replaced.</summary>
    public static JsonObject Apply(JsonObject data, IReadOnlyList<(Exchange Exchange, string Response)> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        var copy = (JsonObject)data.DeepClone();
        foreach (var (exchange, response) in replacements)
        {
            JsonNode node = copy;
            for (var i = 0; i < exchange.Path.Count - 1; i++)
            {
                node = exchange.Path[i] is int index ? node[index]! : node[(string)exchange.Path[i]]!;
            }

            var last = exchange.Path[^1];
            if (last is int at)
            {
                node[at] = response;
            }
            else
            {
                node[(string)last] = response;
            }
        }

        return copy;
    }

    /// <summary>The same replacements on a Parquet row (lists of structs are lists of dictionaries there).</summary>
    public static void ApplyNative(IDictionary<string, object?> row, IReadOnlyList<(Exchange Exchange, string Response)> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        foreach (var (exchange, response) in replacements)
        {
            object? node = row;
            for (var i = 0; i < exchange.Path.Count - 1; i++)
            {
                node = exchange.Path[i] is int index ? ((IList)node!)[index] : ((IDictionary<string, object?>)node!)[(string)exchange.Path[i]];
            }

            if (exchange.Path[^1] is int at)
            {
                ((IList)node!)[at] = response;
            }
            else
            {
                ((IDictionary<string, object?>)node!)[(string)exchange.Path[^1]] = response;
            }
        }
    }

    /// <summary>The record as OpenAI chat messages (system, user, assistant ...), for fine-tuning frameworks.</summary>
    public static JsonArray ToChat(JsonObject data, DatasetFormat format, FieldMap map)
    {
        var messages = new JsonArray();
        if (format == DatasetFormat.Alpaca)
        {
            var system = Plain(data[map.System]);
            if (!string.IsNullOrEmpty(system))
            {
                messages.Add(Message("system", system));
            }

            var input = Plain(data[map.Input]);
            var instruction = Plain(data[map.Instruction]) ?? string.Empty;
            messages.Add(Message("user", string.IsNullOrEmpty(input) ? instruction : instruction + "\n\n" + input));
            messages.Add(Message("assistant", Plain(data[map.Output]) ?? string.Empty));
            return messages;
        }

        var (listName, speakerKey, textKey) = format == DatasetFormat.ShareGpt ? (map.Conversations, map.From, map.Value) : (map.Messages, map.Role, map.Content);
        foreach (var turn in (data[listName] as JsonArray ?? []).OfType<JsonObject>())
        {
            var speaker = Plain(turn[speakerKey]) ?? string.Empty;
            var role = speaker.Equals("system", StringComparison.OrdinalIgnoreCase) ? "system"
                : map.AssistantRoles.Contains(speaker, StringComparer.OrdinalIgnoreCase) ? "assistant"
                : map.UserRoles.Contains(speaker, StringComparer.OrdinalIgnoreCase) ? "user"
                : speaker;
            messages.Add(Message(role, Plain(turn[textKey]) ?? string.Empty));
        }

        return messages;
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    private static string? Text(JsonObject data, string field, string path, long line, bool required, string prefix = "")
    {
        var node = data[field];
        if (node is null)
        {
            return required ? throw new InputException("missing", path, line, prefix + field) : null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        return required ? throw new InputException("not text", path, line, prefix + field) : node.ToJsonString();
    }

    private static string? Plain(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();
}
