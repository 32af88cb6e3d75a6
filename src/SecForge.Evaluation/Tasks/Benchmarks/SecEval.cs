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

    private static TaskData Load(string path)
    {
        var root = JsonFiles.ReadDocument(path);
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new InputException("expected a JSON list of questions", path);
        }

        var samples = new List<EvalSample>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            index++;
            var choices = JsonFiles.RequiredStrings(item, "choices", path, index)
                .Select(c => c.Length > 2 && c[1] == ':' ? c[2..].Trim() : c)
                .ToList();
            var labels = "ABCDEFGH"[..Math.Min(8, choices.Count)];
            var gold = AnswerExtractor.NormalizeLetters(JsonFiles.RequiredString(item, "answer", path, index));
            if (gold.Length == 0 || gold.Any(c => !labels.Contains(c, StringComparison.Ordinal)))
            {
                throw new InputException($"'{gold}' is not a set of option letters {labels}", path, index, "answer");
            }

            var topics = item.TryGetProperty("topics", out var t) && t.ValueKind == JsonValueKind.Array ? string.Join(", ", t.EnumerateArray().Select(x => x.GetString())) : null;
            samples.Add(new EvalSample
            {
                Id = JsonFiles.OptionalString(item, "id") ?? index.ToString(CultureInfo.InvariantCulture),
                Question = JsonFiles.RequiredString(item, "question", path, index),
                Choices = choices,
                Target = gold,
                Category = topics,
                Source = $"{Path.GetFileName(path)}[{index - 1}]",
            });
        }

        return new TaskData(samples, [path]);
    }
}
