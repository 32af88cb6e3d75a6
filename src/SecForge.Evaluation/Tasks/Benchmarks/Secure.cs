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
                var samples = TabularReader.ReadTable(path, '\t', "Prompt", "CVSS v3 Vector String", "Correct Answer").Select((r, i) =>
                {
                    var answer = r.Required("Correct Answer");
                    if (!double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw new InputException($"'{answer}' is not a number", path, r.Line, "Correct Answer");
                    }

                    return new EvalSample
                    {
                        Id = (i + 1).ToString(CultureInfo.InvariantCulture),
                        Question = "Calculate the CVSS v3 score for the following CVSS v3 Vector String: " + r.Required("CVSS v3 Vector String"),
                        Target = answer,
                        NativePrompt = r.Required("Prompt"),
                        Source = $"{Path.GetFileName(path)}:{r.Line}",
                    };
                }).ToList();
                return new TaskData(samples, [path]);
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
            var samples = TabularReader.ReadTable(path, '\t', "Prompt", "Question", "Option A", "Option B", "Option C", "Option D", "Correct Answer").Select((r, i) => new EvalSample
            {
                Id = (i + 1).ToString(CultureInfo.InvariantCulture),
                Question = r.Required("Question"),
                Choices = [r.Required("Option A"), r.Required("Option B"), r.Required("Option C"), r.Required("Option D")],
                Target = CtiBench.Letter(r, "Correct Answer", "ABCDX"),
                NativePrompt = r.Required("Prompt"),
                Source = $"{Path.GetFileName(path)}:{r.Line}",
            }).ToList();
            return new TaskData(samples, [path]);
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
            var samples = TabularReader.ReadTable(path, '\t', "Prompt", "Question", "Correct Answer").Select((r, i) => new EvalSample
            {
                Id = (i + 1).ToString(CultureInfo.InvariantCulture),
                Question = r.Required("Question"),
                Target = CtiBench.Letter(r, "Correct Answer", "TFX"),
                NativePrompt = r.Required("Prompt"),
                Source = $"{Path.GetFileName(path)}:{r.Line}",
            }).ToList();
            return new TaskData(samples, [path]);
        },
    };
}
