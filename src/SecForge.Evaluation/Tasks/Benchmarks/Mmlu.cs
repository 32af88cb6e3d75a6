using System.Globalization;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// MMLU computer_security (Hendrycks et al.): computer_security_test.csv and computer_security_dev.csv, CSV
/// without a header (question, A, B, C, D, answer); the dev rows are the usual five-shot examples.
/// </summary>
internal static class Mmlu
{
    public const string Instruction = "The following are multiple choice questions (with answers) about computer security.";

    public static IEnumerable<EvalTask> Tasks()
    {
        yield return new EvalTask
        {
            Name = "mmlu-computer-security",
            Benchmark = "MMLU",
            Description = "MMLU computer_security test split (the dev split supplies few-shot examples)",
            Files = ["computer_security_test.csv", "computer_security_dev.csv"],
            Kind = AnswerKind.MultipleChoice,
            Instruction = Instruction,
            Load = files =>
            {
                var test = files.Require("computer_security_test.csv", "mmlu-computer-security");
                var dev = files.Find("computer_security_dev.csv");
                var samples = Read(test);
                return new TaskData(samples, dev is null ? [test] : [test, dev], dev is null ? null : Read(dev));
            },
        };
    }

    private static List<EvalSample> Read(string path) => TabularReader.ReadAll(path, ',').Select((row, i) =>
    {
        if (row.Fields.Count < 6)
        {
            throw new InputException($"expected 6 fields (question, A, B, C, D, answer), found {row.Fields.Count}", path, row.Line, row.Fields.Count < 1 ? "question" : "answer");
        }

        var answer = row.Fields[5].Trim().ToUpperInvariant();
        if (answer.Length != 1 || !"ABCD".Contains(answer[0], StringComparison.Ordinal))
        {
            throw new InputException($"'{answer}' is not A/B/C/D", path, row.Line, "answer");
        }

        return new EvalSample
        {
            Id = (i + 1).ToString(CultureInfo.InvariantCulture),
            Question = row.Fields[0].Trim(),
            Choices = [row.Fields[1].Trim(), row.Fields[2].Trim(), row.Fields[3].Trim(), row.Fields[4].Trim()],
            Target = answer,
            Source = $"{Path.GetFileName(path)}:{row.Line}",
        };
    }).ToList();
}
