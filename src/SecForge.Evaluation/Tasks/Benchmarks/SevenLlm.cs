using System.Globalization;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// SEvenLLM-Bench (Ji et al. 2024; github.com/CSJianYang/SEevenLLM): test_all.jsonl. Its multiple-choice rows
/// (<c>task</c> "test-en-choice") hold the question and options as a Python dict literal in <c>instruction</c>,
/// the report excerpt in <c>input</c> and the letter in <c>output</c>.
/// </summary>
internal static class SevenLlm
{
    public static IEnumerable<EvalTask> Tasks()
    {
        yield return new EvalTask
        {
            Name = "sevenllm-mcq",
            Benchmark = "SEvenLLM",
            Description = "multiple-choice questions on English cybersecurity incident reports (threat analysis, risk assessment)",
            Files = ["test_all.jsonl"],
            Kind = AnswerKind.MultipleChoice,
            Load = files => Load(files.Require("test_all.jsonl", "sevenllm-mcq")),
        };
    }

    private static TaskData Load(string path)
    {
        var items = new ItemCollector(path);
        foreach (var entry in JsonFiles.ReadLines(path))
        {
            if (entry.Error is { } error)
            {
                items.Skip(new SkippedItem(entry.Source, null, error.Detail!), error);
                continue;
            }

            var item = entry.Value;
            if (JsonFiles.OptionalString(item, "task") != "test-en-choice")
            {
                continue;
            }

            items.Add(entry.Source, () => Read(item, path, entry.Line));
        }

        return items.ToData([path]);
    }

    private static EvalSample Read(JsonElement item, string path, long line)
    {
        if (!item.TryGetProperty("instruction", out var instruction))
        {
            throw new InputException("missing", path, line, "instruction");
        }

        // The question and options are a JSON object in some releases and a Python dict literal string in others.
        Dictionary<string, object?> parsed;
        try
        {
            parsed = instruction.ValueKind switch
            {
                JsonValueKind.Object => FromJson(instruction),
                JsonValueKind.String => PythonLiteral.Parse(JsonFiles.Checked(instruction.GetString()!, "instruction", path, line)) as Dictionary<string, object?> ?? throw new FormatException("not a dict"),
                _ => throw new FormatException("neither an object nor a string"),
            };
        }
        catch (FormatException exception)
        {
            throw new InputException($"the question is not a readable dict: {exception.Message}", path, line, "instruction");
        }

        if (parsed.GetValueOrDefault("question") is not string question || string.IsNullOrWhiteSpace(question) || parsed.GetValueOrDefault("choice") is not Dictionary<string, object?> choice)
        {
            throw new InputException("needs 'question' and 'choice'", path, line, "instruction");
        }

        var letters = choice.Keys.Order(StringComparer.Ordinal).ToList();
        var gold = JsonFiles.RequiredString(item, "output", path, line).Trim().ToUpperInvariant();
        if (gold.Length != 1 || !letters.Contains(gold))
        {
            throw new InputException($"'{gold}' is not one of the options {string.Join('/', letters)}", path, line, "output");
        }

        return new EvalSample
        {
            Id = item.TryGetProperty("id", out var id) ? id.ToString() : line.ToString(CultureInfo.InvariantCulture),
            Question = JsonFiles.Checked(question, "instruction", path, line).Trim(),
            Choices = letters.Select(l => Convert.ToString(choice[l], CultureInfo.InvariantCulture) ?? string.Empty).ToList(),
            Target = gold,
            Context = JsonFiles.OptionalString(item, "input"),
            Category = JsonFiles.OptionalString(item, "category"),
        };
    }

    private static Dictionary<string, object?> FromJson(JsonElement element) => element.EnumerateObject().ToDictionary(
        p => p.Name,
        p => p.Value.ValueKind switch
        {
            JsonValueKind.Object => (object?)FromJson(p.Value),
            JsonValueKind.String => p.Value.GetString(),
            _ => p.Value.ToString(),
        },
        StringComparer.Ordinal);
}
