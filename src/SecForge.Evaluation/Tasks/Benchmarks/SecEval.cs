using System.Globalization;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// SecEval (XuanwuAI 2023; github.com/XuanwuAI/SecEval): questions.json, a list of
/// <c>{"id", "question", "choices": ["A: ...", ...], "answer": "AB", "topics"}</c>; an answer is right only when the
/// whole letter set is.
/// </summary>
internal static class SecEval
{
    public static IEnumerable<EvalTask> Tasks()
    {
        yield return new EvalTask
        {
            Name = "seceval",
            Benchmark = "SecEval",
            Description = "multiple-answer questions across software, system, network, web and application security (exact letter set)",
            Files = ["questions.json"],
            Kind = AnswerKind.MultipleAnswer,
            Load = files => Load(files.Require("questions.json", "seceval")),
        };
    }

    /// <summary>The questions in file order; one with an empty gold answer (the full file has some) is skipped and counted.</summary>
    private static TaskData Load(string path)
    {
        var items = new ItemCollector(path);
        var index = 0;
        foreach (var entry in JsonFiles.ReadArray(path, null))
        {
            index++;
            if (entry.Error is { } error)
            {
                items.Skip(new SkippedItem(entry.Source, null, error.Detail!), error);
                continue;
            }

            var number = index;
            items.Add(entry.Source, () =>
            {
                var item = entry.Value;
                var choices = JsonFiles.RequiredStrings(item, "choices", path, entry.Line)
                    .Select(c => c.Length > 2 && c[1] == ':' ? c[2..].Trim() : c)
                    .ToList();
                var labels = "ABCDEFGH"[..Math.Min(8, choices.Count)];
                var gold = AnswerExtractor.NormalizeLetters(JsonFiles.RequiredString(item, "answer", path, entry.Line));
                if (gold.Length == 0 || gold.Any(c => !labels.Contains(c, StringComparison.Ordinal)))
                {
                    throw new InputException($"'{gold}' is not a set of option letters {labels}", path, entry.Line, "answer");
                }

                var topics = item.TryGetProperty("topics", out var t) && t.ValueKind == JsonValueKind.Array ? string.Join(", ", t.EnumerateArray().Select(x => x.ToString())) : null;
                return new EvalSample
                {
                    Id = JsonFiles.OptionalString(item, "id") ?? number.ToString(CultureInfo.InvariantCulture),
                    Question = JsonFiles.RequiredString(item, "question", path, entry.Line),
                    Choices = choices,
                    Target = gold,
                    Category = topics,
                    Source = entry.Source,
                };
            });
        }

        return items.ToData([path]);
    }
}
