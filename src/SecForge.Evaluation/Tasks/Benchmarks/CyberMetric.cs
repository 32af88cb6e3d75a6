using System.Globalization;
using System.Text.Json;
using SecForge.Core.Errors;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// CyberMetric (Tihanyi et al. 2024; github.com/cybermetric/CyberMetric): CyberMetric-{80,500,2000,10000}-v1.json,
/// <c>{"questions": [{"question", "answers": {"A".."D"}, "solution"}]}</c>, evaluated with its own prompt and
/// "ANSWER: X".
/// </summary>
internal static class CyberMetric
{
    public const string SystemPrompt = "You are a security expert who answers questions.";

    private static readonly int[] Sizes = [80, 500, 2000, 10000];

    public static IEnumerable<EvalTask> Tasks() => Sizes.Select(size => new EvalTask
    {
        Name = $"cybermetric-{size}",
        Benchmark = "CyberMetric",
        Description = $"{size:N0} multiple-choice questions on cybersecurity knowledge (certifications, standards, NIST, RFCs)",
        Files = [$"CyberMetric-{size}-v1.json"],
        Kind = AnswerKind.MultipleChoice,
        Native = NativePromptStyle.CyberMetric,
        Load = files => Load(files.Require($"CyberMetric-{size}-v1.json", $"cybermetric-{size}")),
    });

    /// <summary>CyberMetric's user prompt.</summary>
    public static string Prompt(EvalSample sample)
    {
        var options = string.Join(", ", sample.Choices!.Select((c, i) => $"{(char)('A' + i)}) {c}"));
        return $"Question: {sample.Question}\nOptions: {options}\n\nChoose the correct answer (A, B, C, or D) only. Always return in this format: 'ANSWER: X' ";
    }

    /// <summary>
    /// The questions in file order. A question with an empty or missing option offers only the others; one whose
    /// solution is not an offered letter, or whose question is empty, is skipped and counted.
    /// </summary>
    private static TaskData Load(string path)
    {
        var items = new ItemCollector(path);
        var index = 0;
        foreach (var item in JsonFiles.ReadArray(path, "questions"))
        {
            index++;
            if (item.Error is { } error)
            {
                items.Skip(new SkippedItem(item.Source, null, error.Detail!), error);
                continue;
            }

            var number = index;
            items.Add(item.Source, () =>
            {
                var question = item.Value;
                if (!question.TryGetProperty("answers", out var answers) || answers.ValueKind != JsonValueKind.Object)
                {
                    throw new InputException("missing or not an object", path, item.Line, "answers");
                }

                var choices = "ABCD".Select(letter => answers.TryGetProperty(letter.ToString(), out var text) && text.ValueKind == JsonValueKind.String
                    ? JsonFiles.Checked(text.GetString()!, "answers", path, item.Line).Trim()
                    : string.Empty).ToList();
                var offered = EvalSample.OfferedLabels(choices, "ABCD");
                var solution = JsonFiles.RequiredString(question, "solution", path, item.Line).ToUpperInvariant();
                if (solution.Length != 1 || !(offered ?? "ABCD").Contains(solution[0], StringComparison.Ordinal))
                {
                    throw new InputException($"'{solution}' is not one of the offered letters {string.Join('/', (offered ?? "ABCD").ToCharArray())}", path, item.Line, "solution");
                }

                return new EvalSample
                {
                    Id = number.ToString(CultureInfo.InvariantCulture),
                    Question = JsonFiles.RequiredString(question, "question", path, item.Line),
                    Choices = choices,
                    Labels = offered,
                    Target = solution,
                    Source = $"{Path.GetFileName(path)}#questions[{number - 1}]",
                };
            });
        }

        return items.ToData([path]);
    }
}
