using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SecForge.Core.Errors;
using SecForge.Core.Hashing;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Evaluation.Protocols;
using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;
using SecForge.Models;
using SecForge.Models.Completions;

namespace SecForge.Evaluation.Running;

/// <summary>
/// Runs tasks against a model: every item × trial is prompted, read, scored and appended to log.jsonl as it
/// finishes; a rerun skips what the log already holds (a killed run resumes, nothing is scored twice), and
/// results.json and the report are computed from the log. Model calls go through the connection's middleware,
/// so an identical rerun into a fresh directory is served from the cache.
/// </summary>
public sealed class EvalRunner
{
    private readonly ModelConnection _model;
    private readonly ModelConnection? _judge;
    private readonly EvalRunOptions _options;

    public EvalRunner(ModelConnection model, EvalRunOptions options, ModelConnection? judge = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _judge = judge;
    }

    /// <summary>The log's path.</summary>
    public string LogPath => Path.Combine(_options.OutputDirectory, "log.jsonl");

    /// <summary>Runs (or resumes) and returns the results, also written as results.json.</summary>
    public async Task<EvalResults> RunAsync(IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var files = _options.DataDirectory is null ? null : new Data.BenchmarkFiles(_options.DataDirectory);
        var tasks = _options.Tasks.Select(t => LoadedTask.Load(t, files, _options.Limit)).ToList();
        Directory.CreateDirectory(_options.OutputDirectory);
        CheckRunMatches(tasks);

        var done = await ReadDoneAsync(cancellationToken).ConfigureAwait(false);
        var trials = _options.EffectiveTrials;
        var work = tasks
            .SelectMany(t => t.Data.Samples.SelectMany(s => Enumerable.Range(0, trials).Select(trial => (Task: t, Sample: s, Trial: trial))))
            .Where(w => !done.Contains(EvalLogEntry.KeyOf(w.Task.Task.Name, w.Sample.Id, w.Trial)))
            .ToList();
        var total = work.Count;
        long completed = 0;
        long failed = 0;
        progress?.Report(new ProgressUpdate("eval", 0, total, "samples", Detail: done.Count > 0 ? $"{done.Count:N0} already in the log" : null));

        await using (var log = JsonlWriter.OpenAppend(LogPath, SecForgeJson.Compact))
        {
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    var entry = await EvaluateAsync(item.Task, item.Sample, item.Trial, ct).ConfigureAwait(false);
                    await log.WriteAsync(entry, ct).ConfigureAwait(false);
                    var failures = entry.Error is null ? Interlocked.Read(ref failed) : Interlocked.Increment(ref failed);
                    var count = Interlocked.Increment(ref completed);
                    if (progress is not null && (count % 16 == 0 || count == total))
                    {
                        progress.Report(new ProgressUpdate("eval", count, total, "samples", failures, $"{_model.Usage.CacheHits:N0} cached"));
                    }
                }).ConfigureAwait(false);
        }

        var results = await EvalResultsBuilder.FromLogAsync(LogPath, tasks, Describe(), cancellationToken).ConfigureAwait(false);
        var usage = _model.Usage.Snapshot();
        results = results with
        {
            Usage = usage,
            CostUsd = Cost(usage),
            ElapsedSeconds = Math.Round(watch.Elapsed.TotalSeconds, 3),
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(_options.OutputDirectory, "results.json"), JsonSerializer.Serialize(results, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await Reporting.ReportWriter.WriteAllAsync(Reports.EvalReport.Build(results, LogPath), _options.OutputDirectory, "report", cancellationToken).ConfigureAwait(false);
        return results;
    }

    private EvalResults Describe() => new()
    {
        Model = _model.Name,
        Protocol = _options.Protocol.Name,
        Method = _options.Method == EvalMethod.LogLikelihood ? "loglikelihood" : "generate",
        Seed = _options.Seed,
        Trials = _options.EffectiveTrials,
        Temperature = Math.Round(_options.EffectiveTemperature, 3),
        Limit = _options.Limit,
        Data = _options.DataDirectory,
        Tasks = new Dictionary<string, TaskResult>(),
        Version = typeof(EvalRunner).Assembly.GetName().Version?.ToString(),
    };

    private double? Cost(Models.Middleware.ModelUsageSnapshot usage) =>
        _options.PricePerMillionInput is null && _options.PricePerMillionOutput is null
            ? null
            : Math.Round((usage.InputTokens * (_options.PricePerMillionInput ?? 0) / 1e6) + (usage.OutputTokens * (_options.PricePerMillionOutput ?? 0) / 1e6), 6);

    /// <summary>One item in one trial, never throwing for a model failure: the failure is the entry's error.</summary>
    internal async Task<EvalLogEntry> EvaluateAsync(LoadedTask loaded, EvalSample sample, int trial, CancellationToken cancellationToken)
    {
        var task = loaded.Task;
        var watch = Stopwatch.StartNew();
        try
        {
            if (_options.Method == EvalMethod.LogLikelihood && task.HasOptions)
            {
                return await ByLogLikelihoodAsync(loaded, sample, trial, watch, cancellationToken).ConfigureAwait(false);
            }

            var prompt = PromptBuilder.Build(task, loaded.Data, sample, _options.Protocol, trial, _options.Seed);
            string reply = string.Empty;
            long? input = null, output = null;
            var attempts = 0;
            ExtractedAnswer? answer = null;
            do
            {
                var (text, inTokens, outTokens) = await AskAsync(prompt, task, sample, trial, attempts, cancellationToken).ConfigureAwait(false);
                reply = text;
                input = (input ?? 0) + (inTokens ?? 0);
                output = (output ?? 0) + (outTokens ?? 0);
                attempts++;
                answer = task.NeedsJudge ? null : AnswerExtractor.Extract(task.Kind, reply, prompt.Rule, task.Labels, loaded.Data.Actors?.Names, task.Pattern);
            }
            while (answer is { Strict: null } && attempts <= _options.Protocol.MalformedRetries && !RefusalDetector.IsRefusal(reply));

            SampleScore score;
            if (task.NeedsJudge)
            {
                score = _judge is null
                    ? new SampleScore { Values = new Dictionary<string, double>(), Ungraded = true, Reason = "needs a judge (--judge)" }
                    : SampleScorer.ScoreJudged(await new ModelJudge(_judge.Chat).GradeAsync(task.Rubric!, sample.Question, sample.Target, reply, 0, cancellationToken).ConfigureAwait(false), reply);
            }
            else
            {
                score = SampleScorer.ScoreAnswer(task, loaded.Data, sample, answer!, reply);
            }

            return new EvalLogEntry
            {
                Task = task.Name,
                Sample = sample.Id,
                Trial = trial,
                Model = _model.Name,
                System = prompt.System,
                Prompt = prompt.Raw ?? prompt.User,
                Completion = prompt.IsCompletion,
                Rule = prompt.Rule.ToString(),
                Reply = reply,
                Target = sample.Target,
                Strict = score.Strict,
                Flexible = score.Flexible,
                Values = score.Values,
                Refusal = score.Refusal,
                Ungraded = score.Ungraded,
                Reason = score.Reason,
                Attempts = attempts,
                InputTokens = input,
                OutputTokens = output,
                LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            };
        }
        catch (Exception exception) when (exception is ModelCallException or ModelCapabilityNotSupportedException)
        {
            return new EvalLogEntry
            {
                Task = task.Name,
                Sample = sample.Id,
                Trial = trial,
                Model = _model.Name,
                Target = sample.Target,
                Error = exception.Message,
                LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            };
        }
    }

    private async Task<(string Text, long? Input, long? Output)> AskAsync(EvalPrompt prompt, EvalTask task, EvalSample sample, int trial, int attempt, CancellationToken cancellationToken)
    {
        // Each trial and each re-ask is its own cache entry; the sampling seed follows the same key.
        var key = (trial * 100) + attempt;
        var seed = PromptBuilder.SamplingSeed(_options.Seed, task.Name, sample.Id, key);
        var maxTokens = _options.MaxOutputTokens ?? _options.Protocol.MaxOutputTokens;
        if (prompt.IsCompletion)
        {
            var completion = await _model.Completion.CompleteAsync(
                prompt.Raw!,
                new TextCompletionOptions { Temperature = _options.EffectiveTemperature, MaxOutputTokens = maxTokens, StopSequences = prompt.Stop, Seed = seed, Trial = key },
                cancellationToken).ConfigureAwait(false);
            return (completion.Text, completion.Usage?.InputTokenCount, completion.Usage?.OutputTokenCount);
        }

        var messages = new List<ChatMessage>(2);
        if (prompt.System is { } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.Add(new ChatMessage(ChatRole.User, prompt.User!));
        var response = await _model.Chat.GetResponseAsync(
            messages,
            new ChatOptions { Temperature = _options.EffectiveTemperature, MaxOutputTokens = maxTokens, Seed = seed }.WithTrial(key),
            cancellationToken).ConfigureAwait(false);
        return (response.Text, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
    }

    private async Task<EvalLogEntry> ByLogLikelihoodAsync(LoadedTask loaded, EvalSample sample, int trial, Stopwatch watch, CancellationToken cancellationToken)
    {
        var task = loaded.Task;
        var protocol = _options.Protocol with { Shots = _options.Protocol.Shots };
        var context = PromptBuilder.FewShot(task, loaded.Data, sample, protocol, trial, _options.Seed);
        var labels = task.Kind == AnswerKind.TrueFalse ? task.Labels : task.Labels[..Math.Min(task.Labels.Length, sample.Choices?.Count ?? task.Labels.Length)];
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var likelihood = await _model.Completion.GetLogLikelihoodAsync(context, " " + label, new TextCompletionOptions { Trial = trial }, cancellationToken).ConfigureAwait(false);
            scores[label.ToString()] = Math.Round(likelihood.LogProbability, 6);
        }

        var best = scores.MaxBy(s => s.Value).Key;
        var score = SampleScorer.ScoreAnswer(task, loaded.Data, sample, new ExtractedAnswer(best, best), best);
        return new EvalLogEntry
        {
            Task = task.Name,
            Sample = sample.Id,
            Trial = trial,
            Model = _model.Name,
            Prompt = context,
            Completion = true,
            Reply = best,
            Target = sample.Target,
            Strict = best,
            Flexible = best,
            Values = score.Values,
            Reason = "highest log-likelihood option",
            Attempts = labels.Length,
            LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            OptionLogLikelihoods = scores,
        };
    }

    private async Task<HashSet<string>> ReadDoneAsync(CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(LogPath))
        {
            return done;
        }

        JsonlWriter.TruncateTornTail(LogPath);
        await foreach (var record in JsonlReader.ReadAsync<EvalLogEntry>(LogPath, SecForgeJson.Compact, cancellationToken).ConfigureAwait(false))
        {
            if (record.Value is { } entry)
            {
                if (entry.Error is null)
                {
                    done.Add(entry.Key);
                }
                else
                {
                    done.Remove(entry.Key);
                }
            }
        }

        return done;
    }

    private void CheckRunMatches(IReadOnlyList<LoadedTask> tasks)
    {
        var description = new
        {
            model = _model.Name,
            protocol = _options.Protocol.Name,
            method = _options.Method.ToString(),
            trials = _options.EffectiveTrials,
            temperature = _options.EffectiveTemperature,
            seed = _options.Seed,
            limit = _options.Limit,
            max_tokens = _options.MaxOutputTokens,
            tasks = tasks.Select(t => new { name = t.Task.Name, samples = t.Data.Samples.Count }),
        };
        var json = JsonSerializer.Serialize(description, SecForgeJson.Indented);
        var fingerprint = ContentHash.Sha256Hex(json)[..16];
        var runFile = Path.Combine(_options.OutputDirectory, "run.json");
        if (File.Exists(runFile))
        {
            using var previous = JsonDocument.Parse(File.ReadAllText(runFile));
            if (!previous.RootElement.TryGetProperty("fingerprint", out var value) || value.GetString() != fingerprint)
            {
                throw new InputException("this output directory holds a run with another model, protocol, task set or settings; use another --output (or delete it)", runFile);
            }

            return;
        }

        AtomicFile.Write(runFile, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("fingerprint", fingerprint);
            writer.WritePropertyName("run");
            using (var document = JsonDocument.Parse(json))
            {
                document.RootElement.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }
}
