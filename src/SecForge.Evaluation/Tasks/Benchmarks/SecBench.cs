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
        var samples = new List<EvalSample>();
        foreach (var (line, item) in JsonFiles.ReadLines(path))
        {
            var itemLanguage = JsonFiles.OptionalString(item, "language");
            if (language is not null && !string.Equals(itemLanguage, language, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var answers = JsonFiles.RequiredStrings(item, "answers", path, line);
            var labels = "ABCDEFGH"[..answers.Count];
            var gold = AnswerExtractor.NormalizeLetters(JsonFiles.RequiredString(item, "label", path, line));
            if (gold.Length == 0 || gold.Any(c => !labels.Contains(c, StringComparison.Ordinal)))
            {
                throw new InputException($"'{gold}' is not a set of option letters {labels}", path, line, "label");
            }

            samples.Add(new EvalSample
            {
                Id = line.ToString(CultureInfo.InvariantCulture),
                Question = JsonFiles.RequiredString(item, "question", path, line),
                Choices = answers,
                Target = gold,
                Category = JsonFiles.OptionalString(item, "domain"),
                Language = itemLanguage,
                Source = $"{Path.GetFileName(path)}:{line}",
            });
        }

        return new TaskData(samples, [path]);
    }

    private static TaskData Saq(string path)
    {
        var samples = JsonFiles.ReadLines(path).Select(x => new EvalSample
        {
            Id = x.Line.ToString(CultureInfo.InvariantCulture),
            Question = JsonFiles.RequiredString(x.Value, "question", path, x.Line),
            Target = JsonFiles.RequiredString(x.Value, "answer", path, x.Line),
            Category = JsonFiles.OptionalString(x.Value, "domain"),
            Language = JsonFiles.OptionalString(x.Value, "language"),
            Source = $"{Path.GetFileName(path)}:{x.Line}",
        }).ToList();
        return new TaskData(samples, [path]);
    }
}
