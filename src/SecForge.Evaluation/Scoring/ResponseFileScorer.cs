using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Tasks;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// Re-scores answers without calling a model: a SecForge log (the replies are read again), a JSONL of raw replies
/// (<c>{"id", "response"}</c>, read with the benchmark's own rule), or a TSV of already-extracted answers with a
/// GT column and one column per model, as CTIBench publishes its models' answers.
/// </summary>
public static class ResponseFileScorer
{
    /// <summary>The metrics of each model in the file.</summary>
    public sealed record Result(string Task, string File, int Samples, IReadOnlyDictionary<string, TaskResult> Models);

    public static async Task<Result> ScoreAsync(EvalTask task, BenchmarkFiles? data, string responsesPath, int seed = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!File.Exists(responsesPath))
        {
            throw new InputException("responses file not found", responsesPath);
        }

        if (responsesPath.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || responsesPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            // A table carries its gold answers (GT): of the benchmark's files only the scoring graphs are needed.
            return ScoreTable(task, ScoringData(task, data, responsesPath), responsesPath, seed);
        }

        var loaded = data is null ? null : LoadedTask.Load(task, data);
        return await ScoreJsonlAsync(task, loaded, responsesPath, seed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What scoring a table needs besides its rows: the threat-actor graphs of TAA, when the data folder has them.</summary>
    private static TaskData ScoringData(EvalTask task, BenchmarkFiles? data, string path)
    {
        if (task.Kind != AnswerKind.ThreatActor || data is null)
        {
            return new TaskData([], [path]);
        }

        var alias = data.Require("taa_alias_dict.json", task.Name);
        var related = data.Require("taa_related_dict.json", task.Name);
        return new TaskData([], [path, alias, related], Actors: ThreatActorGraph.Load(alias, related));
    }

    private static Result ScoreTable(EvalTask task, TaskData data, string path, int seed)
    {
        var delimiter = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t';
        var rows = TabularReader.ReadTable(path, delimiter, "GT");
        var header = TabularReader.ReadAll(path, delimiter)[0].Fields.Select(f => f.Trim()).ToList();
        var models = header.Where(h => h.Length > 0 && h != "GT").ToList();
        if (models.Count == 0)
        {
            throw new InputException("no model columns beside GT", path, 1);
        }

        var results = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var items = new List<ScoredItem>();
            foreach (var (row, index) in rows.Select((r, i) => (r, i)))
            {
                var gold = row.Required("GT");
                var sample = new EvalSample { Id = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Question = string.Empty, Target = Gold(task, gold, row) , Source = $"{Path.GetFileName(path)}:{row.Line}" };
                var cell = row.Optional(model) ?? string.Empty;
                var answer = Normalize(task, cell);
                var score = SampleScorer.ScoreAnswer(task, data, sample, new ExtractedAnswer(answer, answer), cell);
                items.Add(new ScoredItem(sample.Id, 0, score.Values, score.Refusal, score.Ungraded, false));
            }

            results[model] = MetricAggregator.Aggregate(task.Name, task.Benchmark, task.Kind, items, seed);
        }

        return new Result(task.Name, path, rows.Count, results);
    }

    private static string Gold(EvalTask task, string gold, TableRecord row) => task.Kind switch
    {
        AnswerKind.Cwe => AnswerExtractor.NormalizeCwe(gold) ?? throw new InputException($"'{gold}' is not a CWE id", row.Path, row.Line, "GT"),
        AnswerKind.MultipleChoice or AnswerKind.TrueFalse or AnswerKind.MultipleAnswer => gold.Trim().ToUpperInvariant(),
        AnswerKind.CvssVector => CvssVector.TryParse(gold)?.ToString() ?? throw new InputException($"'{gold}' is not a CVSS v3 base vector", row.Path, row.Line, "GT"),
        _ => gold.Trim(),
    };

    /// <summary>A published, already-extracted answer in the form scoring compares; "X" or an empty cell is no answer.</summary>
    private static string? Normalize(EvalTask task, string cell)
    {
        var value = cell.Trim();
        if (value.Length == 0 || (value.Equals("X", StringComparison.OrdinalIgnoreCase) && !task.Labels.Contains('X', StringComparison.Ordinal)))
        {
            return null;
        }

        return task.Kind switch
        {
            AnswerKind.MultipleChoice or AnswerKind.TrueFalse => value.Length == 1 ? value.ToUpperInvariant() : AnswerExtractor.Extract(task.Kind, value, ExtractionRule.LastLine, task.Labels).Flexible,
            AnswerKind.MultipleAnswer => AnswerExtractor.NormalizeLetters(value),
            AnswerKind.Cwe => AnswerExtractor.NormalizeCwe(value),
            AnswerKind.CvssVector => CvssVector.TryParse(value)?.ToString() ?? CvssVector.FindLast(value)?.ToString(),
            AnswerKind.AttackTechniques => AnswerExtractor.Techniques(value),
            _ => value,
        };
    }

    private static async Task<Result> ScoreJsonlAsync(EvalTask task, LoadedTask? loaded, string path, int seed, CancellationToken cancellationToken)
    {
        var byModel = new Dictionary<string, List<ScoredItem>>(StringComparer.Ordinal);
        var samples = loaded?.Data.Samples.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var latest = new Dictionary<string, (string Model, string Sample, int Trial, string Reply, string? Target, string? Rule)>(StringComparer.Ordinal);
        var line = 0L;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
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

            if (item.TryGetProperty("task", out var taskName) && taskName.GetString() != task.Name)
            {
                continue;
            }

            if (item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                continue;
            }

            var sample = item.TryGetProperty("sample", out var s) ? s.ToString() : item.TryGetProperty("id", out var id) ? id.ToString() : throw new InputException("needs 'sample' or 'id'", path, line, "sample");
            var reply = item.TryGetProperty("reply", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : item.TryGetProperty("response", out var rr) && rr.ValueKind == JsonValueKind.String ? rr.GetString()! : throw new InputException("needs a 'reply' or 'response' string", path, line, "response");
            var model = item.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : Path.GetFileNameWithoutExtension(path);
            var trial = item.TryGetProperty("trial", out var t) && t.TryGetInt32(out var tv) ? tv : 0;
            var target = item.TryGetProperty("target", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            var rule = item.TryGetProperty("rule", out var ru) && ru.ValueKind == JsonValueKind.String ? ru.GetString() : null;
            latest[$"{model}\u0001{sample}\u0001{trial}"] = (model, sample, trial, reply, target, rule);
        }

        var data = loaded?.Data ?? new TaskData([], [path]);
        foreach (var (model, sampleId, trial, reply, target, ruleName) in latest.Values)
        {
            EvalSample sample;
            if (samples is not null)
            {
                if (!samples.TryGetValue(sampleId, out var known))
                {
                    throw new InputException($"item '{sampleId}' is not in task {task.Name}", path);
                }

                sample = known;
            }
            else
            {
                sample = new EvalSample { Id = sampleId, Question = string.Empty, Target = target ?? throw new InputException($"item '{sampleId}' has no 'target'; give --data so the gold answers can be read", path) };
            }

            var rule = ruleName is not null && Enum.TryParse<ExtractionRule>(ruleName, out var parsed) ? parsed
                : task.Native == NativePromptStyle.CyberMetric ? ExtractionRule.AnswerTag
                : sample.NativePrompt is not null ? ExtractionRule.LastLine
                : ExtractionRule.AnswerColon;
            var score = task.NeedsJudge
                ? new SampleScore { Values = new Dictionary<string, double>(), Ungraded = true }
                : SampleScorer.Score(task, data, sample, reply, rule);
            if (!byModel.TryGetValue(model, out var list))
            {
                byModel[model] = list = [];
            }

            list.Add(new ScoredItem(sample.Id, trial, score.Values, score.Refusal, score.Ungraded, false));
        }

        var results = byModel.ToDictionary(p => p.Key, p => MetricAggregator.Aggregate(task.Name, task.Benchmark, task.Kind, p.Value, seed), StringComparer.Ordinal);
        return new Result(task.Name, path, latest.Values.Select(v => v.Sample).Distinct(StringComparer.Ordinal).Count(), results);
    }
}
