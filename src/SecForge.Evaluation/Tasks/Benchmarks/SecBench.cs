using System.Globalization;
using SecForge.Core.Errors;
using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// SecBench (Jing et al. 2024; github.com/secbench-git/SecBench): MCQs_2730.jsonl (<c>question</c>, four
/// <c>answers</c>, <c>label</c> holding one letter or several, <c>language</c> English or Chinese, <c>domain</c>) and
/// SAQs_270.jsonl (<c>question</c>, reference <c>answer</c>), the latter graded by a judge model.
/// </summary>
internal static class SecBench
{
    public static IEnumerable<EvalTask> Tasks()
    {
        foreach (var (suffix, language, label) in new[] { ("", (string?)null, "English and Chinese"), ("-en", "English", "English"), ("-zh", "Chinese", "Chinese") })
        {
            yield return new EvalTask
            {
                Name = "secbench-mcq" + suffix,
                Benchmark = "SecBench",
                Description = $"multiple-choice questions ({label}); items may have several correct letters, all needed",
                Files = ["MCQs_2730.jsonl"],
                Kind = AnswerKind.MultipleAnswer,
                Load = files => Mcq(files.Require("MCQs_2730.jsonl", "secbench-mcq" + suffix), language),
            };
        }

        yield return new EvalTask
        {
            Name = "secbench-saq",
            Benchmark = "SecBench",
            Description = "short-answer questions graded by a judge model against the reference answer (needs --judge)",
            Files = ["SAQs_270.jsonl"],
            Kind = AnswerKind.Judge,
            Rubric = "The response is correct when it states the reference answer's key points without contradicting it; wording, length and language may differ.",
            Load = files => Saq(files.Require("SAQs_270.jsonl", "secbench-saq")),
        };
    }

    private static TaskData Mcq(string path, string? language)
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
            var itemLanguage = JsonFiles.OptionalString(item, "language");
            if (language is not null && !string.Equals(itemLanguage, language, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            items.Add(entry.Source, () =>
            {
                var answers = JsonFiles.RequiredStrings(item, "answers", path, entry.Line);
                var labels = "ABCDEFGH"[..Math.Min(8, answers.Count)];
                var gold = AnswerExtractor.NormalizeLetters(JsonFiles.RequiredString(item, "label", path, entry.Line));
                if (gold.Length == 0 || gold.Any(c => !labels.Contains(c, StringComparison.Ordinal)))
                {
                    throw new InputException($"'{gold}' is not a set of option letters {labels}", path, entry.Line, "label");
                }

                return new EvalSample
                {
                    Id = entry.Line.ToString(CultureInfo.InvariantCulture),
                    Question = JsonFiles.RequiredString(item, "question", path, entry.Line),
                    Choices = answers,
                    Target = gold,
                    Category = JsonFiles.OptionalString(item, "domain"),
                    Language = itemLanguage,
                };
            });
        }

        return items.ToData([path]);
    }

    private static TaskData Saq(string path)
    {
        var items = new ItemCollector(path);
        foreach (var entry in JsonFiles.ReadLines(path))
        {
            if (entry.Error is { } error)
            {
                items.Skip(new SkippedItem(entry.Source, null, error.Detail!), error);
                continue;
            }

            items.Add(entry.Source, () => new EvalSample
            {
                Id = entry.Line.ToString(CultureInfo.InvariantCulture),
                Question = JsonFiles.RequiredString(entry.Value, "question", path, entry.Line),
                Target = JsonFiles.RequiredString(entry.Value, "answer", path, entry.Line),
                Category = JsonFiles.OptionalString(entry.Value, "domain"),
                Language = JsonFiles.OptionalString(entry.Value, "language"),
            });
        }

        return items.ToData([path]);
    }
}
