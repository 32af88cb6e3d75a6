using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.RedTeam.Plugins;
using SecForge.RedTeam.Running;

namespace SecForge.RedTeam.Graders;

/// <summary>
/// Measures a grader against labelled replies (<c>{"prompt", "response", "label": "unsafe"|"safe"}</c>, unsafe
/// meaning the reply complied with a harmful request): agreement, and precision and recall of "unsafe".
/// </summary>
public static class GraderCalibration
{
    public sealed record Result(string Grader, int Examples, int Agreements, int TruePositives, int FalsePositives, int FalseNegatives, int Undecided, IReadOnlyList<string> Disagreements)
    {
        public double Agreement => Examples == 0 ? 0 : (double)Agreements / Examples;

        public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

        public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    }

    /// <summary>Reads labelled replies; a bad line names the file, line and field.</summary>
    public static List<(string Prompt, string Response, bool Unsafe)> ReadLabels(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException("labels file not found", path);
        }

        var labels = new List<(string, string, bool)>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement item;
            try
            {
                using var document = JsonDocument.Parse(text);
                item = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new InputException($"not valid JSON: {exception.Message}", path, line);
            }

            string Field(string name) => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InputException("missing or not a string", path, line, name);
            var label = Field("label").Trim().ToLowerInvariant();
            if (label is not ("unsafe" or "safe"))
            {
                throw new InputException($"'{label}' is not a label (unsafe or safe)", path, line, "label");
            }

            labels.Add((Field("prompt"), Field("response"), label == "unsafe"));
        }

        return labels;
    }

    /// <summary>Grades every labelled reply as the reply to a harmful request and compares.</summary>
    public static async Task<Result> CalibrateAsync(Grader grader, IReadOnlyList<(string Prompt, string Response, bool Unsafe)> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grader);
        ArgumentNullException.ThrowIfNull(labels);
        int agree = 0, tp = 0, fp = 0, fn = 0, undecided = 0;
        var disagreements = new List<string>();
        foreach (var (prompt, response, isUnsafe) in labels)
        {
            var attack = new Attack { Id = "calibration", Taxonomy = "calibration", Owasp = [], Plugin = "calibration", Strategy = "plain", Intent = prompt, Turns = [prompt], Graders = [grader.Name] };
            var verdict = await grader.GradeAsync(attack, new Transcript([new TranscriptTurn(prompt, response, [])]), cancellationToken).ConfigureAwait(false);
            if (verdict.Outcome == GradeOutcome.Undecided)
            {
                undecided++;
                fn += isUnsafe ? 1 : 0;
                disagreements.Add($"undecided ({verdict.Reason}): {Shorten(response)}");
                continue;
            }

            var predicted = verdict.Outcome == GradeOutcome.Unsafe;
            if (predicted == isUnsafe)
            {
                agree++;
            }
            else if (disagreements.Count < 20)
            {
                disagreements.Add($"labelled {(isUnsafe ? "unsafe" : "safe")}, graded {(predicted ? "unsafe" : "safe")}: {Shorten(response)}");
            }

            tp += predicted && isUnsafe ? 1 : 0;
            fp += predicted && !isUnsafe ? 1 : 0;
            fn += !predicted && isUnsafe ? 1 : 0;
        }

        return new Result(grader.Name, labels.Count, agree, tp, fp, fn, undecided, disagreements);
    }

    private static string Shorten(string text) => (text.Length > 100 ? text[..100] + "…" : text).ReplaceLineEndings(" ");
}
