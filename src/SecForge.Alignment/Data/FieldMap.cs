using SecForge.Core.Errors;

namespace SecForge.Alignment.Data;

/// <summary>
/// Where a dataset keeps each part of a conversation. The defaults are each format's own names; <c>--field
/// NAME=COLUMN</c> maps them to a dataset's (for example <c>instruction=prompt</c>, <c>output=completion</c>).
/// </summary>
public sealed record FieldMap
{
    public string Instruction { get; init; } = "instruction";

    public string Input { get; init; } = "input";

    public string Output { get; init; } = "output";

    /// <summary>Alpaca: an optional system prompt column.</summary>
    public string System { get; init; } = "system";

    public string Conversations { get; init; } = "conversations";

    public string Messages { get; init; } = "messages";

    /// <summary>ShareGPT turn keys.</summary>
    public string From { get; init; } = "from";

    public string Value { get; init; } = "value";

    /// <summary>Chat message keys.</summary>
    public string Role { get; init; } = "role";

    public string Content { get; init; } = "content";

    /// <summary>Speaker names of user turns (ShareGPT "human", chat "user").</summary>
    public IReadOnlyList<string> UserRoles { get; init; } = ["human", "user"];

    /// <summary>Speaker names of assistant turns (ShareGPT "gpt", chat "assistant").</summary>
    public IReadOnlyList<string> AssistantRoles { get; init; } = ["gpt", "assistant", "bot", "model"];

    public static FieldMap Default { get; } = new();

    /// <summary>Applies <c>NAME=COLUMN</c> pairs to the defaults.</summary>
    public static FieldMap Parse(IEnumerable<string> pairs)
    {
        var map = Default;
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[1].Length == 0)
            {
                throw new InputException($"'{pair}' is not NAME=COLUMN", null, null, "--field");
            }

            map = parts[0].ToLowerInvariant() switch
            {
                "instruction" => map with { Instruction = parts[1] },
                "input" => map with { Input = parts[1] },
                "output" => map with { Output = parts[1] },
                "system" => map with { System = parts[1] },
                "conversations" => map with { Conversations = parts[1] },
                "messages" => map with { Messages = parts[1] },
                "from" => map with { From = parts[1] },
                "value" => map with { Value = parts[1] },
                "role" => map with { Role = parts[1] },
                "content" => map with { Content = parts[1] },
                "user" => map with { UserRoles = parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) },
                "assistant" => map with { AssistantRoles = parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) },
                var other => throw new InputException($"unknown field '{other}' (instruction, input, output, system, conversations, messages, from, value, role, content, user, assistant)", null, null, "--field"),
            };
        }

        return map;
    }

    /// <summary>A stable text of the mapping, for the run fingerprint.</summary>
    public override string ToString() =>
        $"{Instruction}|{Input}|{Output}|{System}|{Conversations}|{Messages}|{From}|{Value}|{Role}|{Content}|{string.Join(',', UserRoles)}|{string.Join(',', AssistantRoles)}";
}
