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

    private static TaskData Load(string path)
    {
        var root = JsonFiles.ReadDocument(path);
        if (!root.TryGetProperty("questions", out var questions) || questions.ValueKind != JsonValueKind.Array)
        {
            throw new InputException("expected {\"questions\": [...]}", path, null, "questions");
        }

        var samples = new List<EvalSample>();
        var index = 0;
        foreach (var question in questions.EnumerateArray())
        {
            index++;
            var where = $"questions[{index - 1}]";
            if (!question.TryGetProperty("answers", out var answers) || answers.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("missing or not an object", path, index, where + ".answers");
            }

            var choices = new List<string>();
            foreach (var letter in "ABCD")
            {
                if (!answers.TryGetProperty(letter.ToString(), out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new InputException($"option {letter} is missing", path, index, where + ".answers");
                }

                choices.Add(text.GetString()!.Trim());
            }

            var solution = JsonFiles.RequiredString(question, "solution", path, index).ToUpperInvariant();
            if (solution.Length != 1 || !"ABCD".Contains(solution[0], StringComparison.Ordinal))
            {
                throw new InputException($"'{solution}' is not A/B/C/D", path, index, where + ".solution");
            }

            samples.Add(new EvalSample
            {
                Id = index.ToString(CultureInfo.InvariantCulture),
                Question = JsonFiles.RequiredString(question, "question", path, index),
                Choices = choices,
                Target = solution,
                Source = $"{Path.GetFileName(path)}#{where}",
            });
        }

        return new TaskData(samples, [path]);
    }
}
