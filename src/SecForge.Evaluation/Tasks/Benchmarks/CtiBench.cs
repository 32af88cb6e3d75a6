using SecForge.Core.Errors;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Scoring;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// CTIBench (Alam et al., NeurIPS 2024 Datasets and Benchmarks; github.com/xashru/cti-bench): TSV files with the
/// item's full prompt in a Prompt column and the gold answer in GT. TAA's gold answers are published only with the
/// reference responses (cti-taa-responses.tsv, column GT, same row order); its scoring graphs are
/// taa_alias_dict.json and taa_related_dict.json.
/// </summary>
internal static class CtiBench
{
    /// <summary>CTIBench's system prompt.</summary>
    public const string SystemPrompt = "You are a cybersecurity expert specializing in cyberthreat intelligence.";

    public static IEnumerable<EvalTask> Tasks()
    {
        yield return new EvalTask
        {
            Name = "ctibench-mcq",
            Benchmark = "CTIBench",
            Description = "CTI knowledge: multiple-choice questions on ATT&CK, CAPEC, CWE, frameworks and standards",
            Files = ["cti-mcq.tsv"],
            Kind = AnswerKind.MultipleChoice,
            Native = NativePromptStyle.CtiBench,
            Load = files => Mcq(files.Require("cti-mcq.tsv", "ctibench-mcq")),
        };
        yield return Rcm("ctibench-rcm", "cti-rcm.tsv", "root cause mapping: CVE description to CWE (2024 CVEs)");
        yield return Rcm("ctibench-rcm-2021", "cti-rcm-2021.tsv", "root cause mapping: CVE description to CWE (2021 CVEs)");
        yield return new EvalTask
        {
            Name = "ctibench-vsp",
            Benchmark = "CTIBench",
            Description = "vulnerability severity prediction: CVE description to CVSS v3.1 vector (mean absolute deviation of base scores)",
            Files = ["cti-vsp.tsv"],
            Kind = AnswerKind.CvssVector,
            Native = NativePromptStyle.CtiBench,
            Load = files => Described(files.Require("cti-vsp.tsv", "ctibench-vsp"), "Description"),
        };
        yield return new EvalTask
        {
            Name = "ctibench-ate",
            Benchmark = "CTIBench",
            Description = "ATT&CK technique extraction from malware and campaign descriptions (F1 over technique ids)",
            Files = ["cti-ate.tsv"],
            Kind = AnswerKind.AttackTechniques,
            Native = NativePromptStyle.CtiBench,
            Load = files => Described(files.Require("cti-ate.tsv", "ctibench-ate"), "Description"),
        };
        yield return new EvalTask
        {
            Name = "ctibench-taa",
            Benchmark = "CTIBench",
            Description = "threat actor attribution from threat reports (correct via aliases, plausible via related groups)",
            Files = ["cti-taa.tsv", "cti-taa-responses.tsv", "taa_alias_dict.json", "taa_related_dict.json"],
            Kind = AnswerKind.ThreatActor,
            Native = NativePromptStyle.CtiBench,
            Load = Taa,
        };
    }

    private static EvalTask Rcm(string name, string file, string description) => new()
    {
        Name = name,
        Benchmark = "CTIBench",
        Description = description,
        Files = [file],
        Kind = AnswerKind.Cwe,
        Native = NativePromptStyle.CtiBench,
        Load = files => Described(files.Require(file, name), "Description", normalizeTarget: t => AnswerExtractor.NormalizeCwe(t)),
    };

    /// <summary>
    /// The MCQ rows. The full file has questions with three options (an empty Option D, once an empty Option C): they
    /// are asked with the letters they have (CTIBench's own prompt shows what the row shows) and only those letters
    /// count as answers; a row whose gold letter names an empty option is skipped and counted.
    /// </summary>
    private static TaskData Mcq(string path)
    {
        var items = new ItemCollector(path);
        var rows = TabularReader.ReadTable(path, '\t', "Question", "Option A", "Option B", "Option C", "Option D", "Prompt", "GT");
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, number) = (rows[i], i + 1);
            items.Add(row.Source, () =>
            {
                var choices = Options(row);
                var offered = EvalSample.OfferedLabels(choices, "ABCD");
                return new EvalSample
                {
                    Id = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Question = row.Required("Question"),
                    Choices = choices,
                    Labels = offered,
                    Target = Letter(row, "GT", offered ?? "ABCD"),
                    NativePrompt = row.Required("Prompt"),
                };
            });
        }

        return items.ToData([path]);
    }

    private static TaskData Described(string path, string textColumn, Func<string, string?>? normalizeTarget = null)
    {
        var items = new ItemCollector(path);
        var rows = TabularReader.ReadTable(path, '\t', textColumn, "Prompt", "GT");
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, number) = (rows[i], i + 1);
            items.Add(row.Source, () =>
            {
                var gold = row.Required("GT");
                var target = normalizeTarget is null ? gold : normalizeTarget(gold) ?? throw new InputException($"'{gold}' is not a valid answer", path, row.Line, "GT");
                return new EvalSample
                {
                    Id = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Question = row.Required(textColumn),
                    Target = target,
                    NativePrompt = row.Required("Prompt"),
                };
            });
        }

        return items.ToData([path]);
    }

    private static TaskData Taa(BenchmarkFiles files)
    {
        var path = files.Require("cti-taa.tsv", "ctibench-taa");
        var rows = TabularReader.ReadTable(path, '\t', "Text", "Prompt");
        var used = new List<string> { path };
        List<string?> gold;
        if (rows.Count > 0 && rows[0].Values.ContainsKey("GT"))
        {
            gold = rows.Select(r => r.Optional("GT")).ToList();
        }
        else
        {
            var answers = files.Find("cti-taa-responses.tsv")
                ?? throw new InputException("cti-taa.tsv has no GT column; the gold actors are in CTIBench's reference_responses/cti-taa-responses.tsv, which was not found under the data folder", path);
            used.Add(answers);
            var answerRows = TabularReader.ReadTable(answers, '\t', "GT");
            // The gold actors follow the items' order; an item past the last answer row has none and is skipped.
            gold = answerRows.Take(rows.Count).Select(r => r.Optional("GT")).ToList();
        }

        var alias = files.Require("taa_alias_dict.json", "ctibench-taa");
        var related = files.Require("taa_related_dict.json", "ctibench-taa");
        used.Add(alias);
        used.Add(related);
        var items = new ItemCollector(path);
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, number) = (rows[i], i + 1);
            items.Add(row.Source, () => new EvalSample
            {
                Id = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Question = row.Required("Text"),
                Target = (number <= gold.Count ? gold[number - 1] : null) ?? throw new InputException("the reference answers have no gold actor for this row", path, row.Line, "GT"),
                NativePrompt = row.Required("Prompt"),
            });
        }

        return items.ToData(used, actors: ThreatActorGraph.Load(alias, related));
    }

    private static readonly string[] OptionColumns = ["Option A", "Option B", "Option C", "Option D"];

    /// <summary>A row's four options in letter order; an empty option (a three-option question) is an empty string.</summary>
    internal static List<string> Options(TableRecord record) => OptionColumns.Select(c => record.Raw(c) ?? string.Empty).ToList();

    internal static string Letter(TableRecord record, string column, string labels)
    {
        var value = record.Required(column).Trim().ToUpperInvariant();
        if (value.Length != 1 || !labels.Contains(value[0], StringComparison.Ordinal))
        {
            throw new InputException($"'{value}' is not one of {string.Join('/', labels.ToCharArray())}", record.Path, record.Line, column);
        }

        return value;
    }
}
