using System.Globalization;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// MMLU (Hendrycks et al. 2021) in its official CSV layout: <c>{subject}_test.csv</c> and <c>{subject}_dev.csv</c>,
/// CSV without a header (question, A, B, C, D, answer); each subject's five dev rows are its few-shot examples.
/// <c>mmlu-computer-security</c> is the security subject; <c>mmlu</c> is all 57 subjects, which Foundation-Sec reports
/// to show general knowledge is kept (accuracy over all items; each item's subject is its category).
/// </summary>
internal static class Mmlu
{
    /// <summary>The 57 subjects, as the official file names spell them.</summary>
    public static readonly IReadOnlyList<string> Subjects =
    [
        "abstract_algebra", "anatomy", "astronomy", "business_ethics", "clinical_knowledge", "college_biology", "college_chemistry",
        "college_computer_science", "college_mathematics", "college_medicine", "college_physics", "computer_security", "conceptual_physics",
        "econometrics", "electrical_engineering", "elementary_mathematics", "formal_logic", "global_facts", "high_school_biology",
        "high_school_chemistry", "high_school_computer_science", "high_school_european_history", "high_school_geography",
        "high_school_government_and_politics", "high_school_macroeconomics", "high_school_mathematics", "high_school_microeconomics",
        "high_school_physics", "high_school_psychology", "high_school_statistics", "high_school_us_history", "high_school_world_history",
        "human_aging", "human_sexuality", "international_law", "jurisprudence", "logical_fallacies", "machine_learning", "management",
        "marketing", "medical_genetics", "miscellaneous", "moral_disputes", "moral_scenarios", "nutrition", "philosophy", "prehistory",
        "professional_accounting", "professional_law", "professional_medicine", "professional_psychology", "public_relations",
        "security_studies", "sociology", "us_foreign_policy", "virology", "world_religions",
    ];

    /// <summary>MMLU's instruction for a subject ("... about computer security.").</summary>
    public static string Instruction(string subject) => $"The following are multiple choice questions (with answers) about {subject.Replace('_', ' ')}.";

    public static IEnumerable<EvalTask> Tasks()
    {
        yield return new EvalTask
        {
            Name = "mmlu-computer-security",
            Benchmark = "MMLU",
            Description = "MMLU computer_security test split (the dev split supplies few-shot examples)",
            Files = ["computer_security_test.csv", "computer_security_dev.csv"],
            Kind = AnswerKind.MultipleChoice,
            Instruction = Instruction("computer_security"),
            Load = files => Load(files, ["computer_security"], "mmlu-computer-security", prefixIds: false),
        };
        yield return new EvalTask
        {
            Name = "mmlu",
            Benchmark = "MMLU",
            Description = "MMLU, all 57 subjects (general knowledge: Foundation-Sec shows it is kept); each subject's dev split supplies its shots",
            Files = Subjects.Select(s => $"{s}_test.csv").ToList(),
            Kind = AnswerKind.MultipleChoice,
            InstructionFor = sample => sample.Category is { } subject ? Instruction(subject) : null,
            Load = files => Load(files, Subjects, "mmlu", prefixIds: true),
        };
    }

    private static TaskData Load(BenchmarkFiles files, IReadOnlyList<string> subjects, string task, bool prefixIds)
    {
        var missing = subjects.Where(s => files.Find($"{s}_test.csv") is null).ToList();
        if (missing.Count > 0)
        {
            throw new InputException($"task {task} needs every subject's test file under the data folder; missing: {string.Join(", ", missing.Take(5).Select(s => s + "_test.csv"))}{(missing.Count > 5 ? $" and {missing.Count - 5} more" : string.Empty)}", files.Root);
        }

        var used = new List<string>();
        var samples = new List<EvalSample>();
        var shots = new List<EvalSample>();
        var skipped = new List<SkippedItem>();
        foreach (var subject in subjects)
        {
            var test = files.Find($"{subject}_test.csv")!;
            used.Add(test);
            var data = Read(test, subject, prefixIds);
            samples.AddRange(data.Samples);
            skipped.AddRange(data.Skipped);
            if (files.Find($"{subject}_dev.csv") is { } dev)
            {
                used.Add(dev);
                shots.AddRange(Read(dev, subject, prefixIds).Samples);
            }
        }

        return new TaskData(samples, used, shots.Count == 0 ? null : shots) { Skipped = skipped };
    }

    private static TaskData Read(string path, string subject, bool prefixIds)
    {
        var items = new ItemCollector(path);
        var rows = TabularReader.ReadAll(path, ',');
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, number) = (rows[i], i + 1);
            items.Add($"{Path.GetFileName(path)}:{row.Line}", () =>
            {
                if (row.Fields.Count < 6)
                {
                    throw new InputException($"expected 6 fields (question, A, B, C, D, answer), found {row.Fields.Count}", path, row.Line, row.Fields.Count < 1 ? "question" : "answer");
                }

                var fields = row.Fields.Select((f, k) => f.Contains(TabularReader.InvalidByte, StringComparison.Ordinal) ? throw new InputException("not valid UTF-8", path, row.Line, k == 0 ? "question" : k == 5 ? "answer" : ((char)('A' + k - 1)).ToString()) : f.Trim()).ToList();
                var answer = fields[5].ToUpperInvariant();
                if (answer.Length != 1 || !"ABCD".Contains(answer[0], StringComparison.Ordinal))
                {
                    throw new InputException($"'{answer}' is not A/B/C/D", path, row.Line, "answer");
                }

                if (fields[0].Length == 0)
                {
                    throw new InputException("empty", path, row.Line, "question");
                }

                var choices = fields.GetRange(1, 4);
                var offered = EvalSample.OfferedLabels(choices, "ABCD");
                if (offered is not null && !offered.Contains(answer[0], StringComparison.Ordinal))
                {
                    throw new InputException($"the answer {answer} names an empty option", path, row.Line, "answer");
                }

                return new EvalSample
                {
                    Id = prefixIds ? $"{subject}:{number}" : number.ToString(CultureInfo.InvariantCulture),
                    Question = fields[0],
                    Choices = choices,
                    Labels = offered,
                    Target = answer,
                    Category = subject,
                };
            });
        }

        return items.ToData([path]);
    }
}
