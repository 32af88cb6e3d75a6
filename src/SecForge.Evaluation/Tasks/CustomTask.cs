using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecForge.Core.Configuration;
using SecForge.Core.Errors;
using SecForge.Evaluation.Tasks.Benchmarks;

namespace SecForge.Evaluation.Tasks;

/// <summary>
/// A task defined by the user: a YAML file naming a JSONL file of items and how to score them
/// (<c>multiple_choice</c>, <c>exact</c>, <c>regex</c>, <c>numeric</c> with a tolerance, or <c>judge</c> with a rubric).
/// </summary>
public sealed class CustomTask
{
    /// <summary>The task's name on the command line; defaults to the YAML file's name.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The JSONL file of items, relative to the YAML file.</summary>
    public string? Data { get; set; }

    /// <summary>multiple_choice, exact, regex, numeric or judge.</summary>
    public string Type { get; set; } = "multiple_choice";

    public string IdField { get; set; } = "id";

    public string InputField { get; set; } = "question";

    public string TargetField { get; set; } = "answer";

    /// <summary>multiple_choice: a list of option texts, or an object of letter → text.</summary>
    public string ChoicesField { get; set; } = "choices";

    /// <summary>Optional text shown before the question.</summary>
    public string? ContextField { get; set; }

    /// <summary>Instruction shown with every item (the task's own prompt line).</summary>
    public string? Instruction { get; set; }

    /// <summary>regex: a pattern whose first group (or whole match) is the answer.</summary>
    public string? Pattern { get; set; }

    /// <summary>numeric: answers within this distance are correct.</summary>
    public double Tolerance { get; set; }

    /// <summary>judge: what the judge checks.</summary>
    public string? Rubric { get; set; }

    /// <summary>Reads a task definition; errors name the YAML file and field.</summary>
    public static EvalTask Load(string yamlPath)
    {
        var definition = YamlFile.Read<CustomTask>(yamlPath);
        var name = string.IsNullOrWhiteSpace(definition.Name) ? Path.GetFileNameWithoutExtension(yamlPath) : definition.Name.Trim();
        if (string.IsNullOrWhiteSpace(definition.Data))
        {
            throw new InputException("missing: the JSONL file of items", yamlPath, null, "data");
        }

        var dataPath = Path.GetFullPath(definition.Data, Path.GetDirectoryName(Path.GetFullPath(yamlPath))!);
        var kind = definition.Type.Trim().ToLowerInvariant() switch
        {
            "multiple_choice" or "mcq" => AnswerKind.MultipleChoice,
            "exact" => AnswerKind.Exact,
            "regex" => AnswerKind.Regex,
            "numeric" or "number" => AnswerKind.Number,
            "judge" => AnswerKind.Judge,
            var other => throw new InputException($"'{other}' is not a task type (multiple_choice, exact, regex, numeric, judge)", yamlPath, null, "type"),
        };
        Regex? pattern = null;
        if (kind == AnswerKind.Regex)
        {
            if (string.IsNullOrWhiteSpace(definition.Pattern))
            {
                throw new InputException("a regex task needs a pattern", yamlPath, null, "pattern");
            }

            try
            {
                pattern = new Regex(definition.Pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException exception)
            {
                throw new InputException($"not a valid regular expression: {exception.Message}", yamlPath, null, "pattern");
            }
        }

        if (kind == AnswerKind.Judge && string.IsNullOrWhiteSpace(definition.Rubric))
        {
            throw new InputException("a judge task needs a rubric", yamlPath, null, "rubric");
        }

        return new EvalTask
        {
            Name = name,
            Benchmark = "custom",
            Description = definition.Description ?? $"custom {definition.Type} task from {Path.GetFileName(yamlPath)}",
            Files = [dataPath],
            Kind = kind,
            Instruction = definition.Instruction,
            Pattern = pattern,
            Tolerance = definition.Tolerance,
            Rubric = definition.Rubric,
            Load = _ => definition.Read(dataPath, kind),
        };
    }

    private TaskData Read(string path, AnswerKind kind)
    {
        if (!File.Exists(path))
        {
            throw new InputException("the task's data file was not found", path);
        }

        var items = new ItemCollector(path);
        foreach (var entry in JsonFiles.ReadLines(path))
        {
            if (entry.Error is { } error)
            {
                items.Skip(new SkippedItem(entry.Source, null, error.Detail!), error);
                continue;
            }

            items.Add(entry.Source, () => ReadItem(entry.Value, path, entry.Line, kind));
        }

        return items.ToData([path]);
    }

    private EvalSample ReadItem(JsonElement item, string path, long line, AnswerKind kind)
    {
        var target = item.TryGetProperty(TargetField, out var t) ? t.ValueKind == JsonValueKind.String ? JsonFiles.Checked(t.GetString()!, TargetField, path, line).Trim() : t.ToString() : null;
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new InputException("missing or empty", path, line, TargetField);
        }

        List<string>? choices = null;
        if (kind == AnswerKind.MultipleChoice)
        {
            if (!item.TryGetProperty(ChoicesField, out var c))
            {
                throw new InputException("missing: a multiple_choice item needs options", path, line, ChoicesField);
            }

            choices = c.ValueKind switch
            {
                JsonValueKind.Array => c.EnumerateArray().Select(x => x.ToString()).ToList(),
                JsonValueKind.Object => c.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Value.ToString()).ToList(),
                _ => throw new InputException("expected a list of options or an object of letter → option", path, line, ChoicesField),
            };
            if (choices.Count is < 2 or > 26)
            {
                throw new InputException($"{choices.Count} options (2 to 26 are possible)", path, line, ChoicesField);
            }

            target = target.ToUpperInvariant();
            if (target.Length != 1 || target[0] - 'A' >= choices.Count || target[0] < 'A')
            {
                throw new InputException($"'{target}' is not the letter of one of the {choices.Count} options", path, line, TargetField);
            }
        }
        else if (kind == AnswerKind.Number && !double.TryParse(target, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new InputException($"'{target}' is not a number", path, line, TargetField);
        }

        return new EvalSample
        {
            Id = item.TryGetProperty(IdField, out var id) ? id.ToString() : line.ToString(CultureInfo.InvariantCulture),
            Question = JsonFiles.RequiredString(item, InputField, path, line),
            Choices = choices,
            Labels = choices is { Count: not 4 } ? new string(Enumerable.Range(0, choices.Count).Select(i => (char)('A' + i)).ToArray()) : null,
            Target = kind == AnswerKind.Number ? double.Parse(target, CultureInfo.InvariantCulture).ToString("0.###", CultureInfo.InvariantCulture) : target,
            Context = ContextField is null ? null : JsonFiles.OptionalString(item, ContextField),
        };
    }
}
