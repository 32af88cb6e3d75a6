using System.Globalization;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;

namespace SecForge.Evaluation.Tasks.Benchmarks;

/// <summary>
/// SECURE (Bhusal et al., ACSAC 2024; github.com/aiforsec/SECURE): TSVs with the item's full prompt. MAET (ATT&amp;CK
/// for ICS) and CWET (CWE/CAPEC) are multiple choice where X ("don't know") is a valid answer; KCV and VOOD are
/// true/false/don't know; CPST asks for the CVSS v3 score of a vector.
/// </summary>
internal static class Secure
{
    public static IEnumerable<EvalTask> Tasks()
    {
        yield return Choice("secure-maet", "SECURE-MAET.tsv", "MITRE ATT&CK for ICS knowledge (extraction), X = don't know");
        yield return Choice("secure-cwet", "SECURE-CWET.tsv", "CWE and CAPEC knowledge (extraction), X = don't know");
        yield return TrueFalse("secure-kcv", "SECURE-KCV.tsv", "knowledge of CVE records given as JSON context (true/false/don't know)");
        yield return TrueFalse("secure-vood", "SECURE-VOOD.tsv", "vulnerabilities out of the model's knowledge cut-off: T/F or X (don't know) is right");
        yield return new EvalTask
        {
            Name = "secure-cpst",
            Benchmark = "SECURE",
            Description = "CVSS v3 score from a vector (accuracy within 0.05 and mean absolute deviation)",
            Files = ["SECURE-CPST.tsv"],
            Kind = AnswerKind.Number,
            Tolerance = 0.05,
            Load = files =>
            {
                var path = files.Require("SECURE-CPST.tsv", "secure-cpst");
                return Rows(path, ["Prompt", "CVSS v3 Vector String", "Correct Answer"], (r, number) =>
                {
                    var answer = r.Required("Correct Answer");
                    if (!double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw new InputException($"'{answer}' is not a number", path, r.Line, "Correct Answer");
                    }

                    return new EvalSample
                    {
                        Id = number.ToString(CultureInfo.InvariantCulture),
                        Question = "Calculate the CVSS v3 score for the following CVSS v3 Vector String: " + r.Required("CVSS v3 Vector String"),
                        Target = answer,
                        NativePrompt = r.Required("Prompt"),
                    };
                });
            },
        };
    }

    private static EvalTask Choice(string name, string file, string description) => new()
    {
        Name = name,
        Benchmark = "SECURE",
        Description = description,
        Files = [file],
        Kind = AnswerKind.MultipleChoice,
        Labels = "ABCDX",
        Load = files =>
        {
            var path = files.Require(file, name);
            return Rows(path, ["Prompt", "Question", "Option A", "Option B", "Option C", "Option D", "Correct Answer"], (r, number) =>
            {
                var choices = CtiBench.Options(r);
                var offered = EvalSample.OfferedLabels(choices, "ABCD");
                return new EvalSample
                {
                    Id = number.ToString(CultureInfo.InvariantCulture),
                    Question = r.Required("Question"),
                    Choices = choices,
                    Labels = offered is null ? null : offered + "X",
                    Target = CtiBench.Letter(r, "Correct Answer", (offered ?? "ABCD") + "X"),
                    NativePrompt = r.Required("Prompt"),
                };
            });
        },
    };

    private static EvalTask TrueFalse(string name, string file, string description) => new()
    {
        Name = name,
        Benchmark = "SECURE",
        Description = description,
        Files = [file],
        Kind = AnswerKind.TrueFalse,
        Labels = "TFX",
        Load = files =>
        {
            var path = files.Require(file, name);
            return Rows(path, ["Prompt", "Question", "Correct Answer"], (r, number) => new EvalSample
            {
                Id = number.ToString(CultureInfo.InvariantCulture),
                Question = r.Required("Question"),
                Target = CtiBench.Letter(r, "Correct Answer", "TFX"),
                NativePrompt = r.Required("Prompt"),
            });
        },
    };

    /// <summary>
    /// The rows of a SECURE file (a row with an empty Question or answer, such as one row of the full CWET file, is
    /// skipped and counted); items are numbered by row.
    /// </summary>
    private static TaskData Rows(string path, string[] columns, Func<TableRecord, int, EvalSample> read)
    {
        var items = new ItemCollector(path);
        var rows = TabularReader.ReadTable(path, '\t', columns);
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, number) = (rows[i], i + 1);
            items.Add(row.Source, () => read(row, number));
        }

        return items.ToData([path]);
    }
}
