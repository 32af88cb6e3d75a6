using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Core.Running;
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
        using var run = RunDirectory.Open(_options.OutputDirectory, Manifest(tasks), "log.jsonl");
        await PreflightAsync(tasks, cancellationToken).ConfigureAwait(false);

        var trials = _options.EffectiveTrials;
        await using (var log = await RunJournal.OpenAsync<EvalLogEntry>(LogPath, e => e.Key, e => e.Error is null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var work = tasks
                .SelectMany(t => t.Data.Samples.SelectMany(s => Enumerable.Range(0, trials).Select(trial => (Task: t, Sample: s, Trial: trial))))
                .Where(w => !log.Finished.Contains(EvalLogEntry.KeyOf(w.Task.Task.Name, w.Sample.Id, w.Trial)))
                .ToList();
            var loop = new RunLoop<(LoadedTask Task, EvalSample Sample, int Trial), EvalLogEntry>
            {
                Task = "eval",
                Unit = "samples",
                Concurrency = _options.Concurrency,
                Total = work.Count,
                AlreadyDone = log.Finished.Count,
                Failures = entry => entry.Error is null ? 0 : 1,
                Detail = () => $"{_model.Usage.CacheHits:N0} cached",
            };
            await loop.RunAsync(
                work,
                async (item, ct) => await EvaluateAsync(item.Task, item.Sample, item.Trial, ct).ConfigureAwait(false),
                log.AppendAsync,
                progress,
                cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Before the first item: the endpoint accepts connections, and with the log-likelihood method the model can give
    /// log-probabilities at all, so a run that cannot work says so at once instead of failing every item.
    /// </summary>
    private async Task PreflightAsync(IReadOnlyList<LoadedTask> tasks, CancellationToken cancellationToken)
    {
        await _model.PreflightAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_judge is not null && tasks.Any(t => t.Task.NeedsJudge))
        {
            await _judge.PreflightAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (_options.Method == EvalMethod.LogLikelihood && tasks.Any(t => t.Task.HasOptions))
        {
            try
            {
                await _model.Completion.GetLogLikelihoodAsync("The answer is", " A", new TextCompletionOptions(), cancellationToken).ConfigureAwait(false);
            }
            catch (ModelCapabilityNotSupportedException exception)
            {
                throw new InputException($"--method loglikelihood needs log-probabilities of the prompt, which {_model.Name} cannot give ({exception.Message}); use --method generate", null, null, "--method");
            }
        }
    }

    private RunManifest Manifest(IReadOnlyList<LoadedTask> tasks) => new()
    {
        Kind = "eval",
        Seed = _options.Seed,
        Settings = new JsonObject
        {
            ["model"] = _model.Name,
            ["protocol"] = _options.Protocol.Name,
            ["method"] = _options.Method.ToString(),
            ["trials"] = _options.EffectiveTrials,
            ["temperature"] = Math.Round(_options.EffectiveTemperature, 4),
            ["limit"] = _options.Limit,
            ["max_tokens"] = _options.MaxOutputTokens,
            ["tasks"] = new JsonArray(tasks.Select(t => (JsonNode)new JsonObject { ["name"] = t.Task.Name, ["samples"] = t.Data.Samples.Count }).ToArray()),
        },
    };

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
                answer = task.NeedsJudge ? null : AnswerExtractor.Extract(task.Kind, reply, prompt.Rule, sample.LabelsOr(task.Labels), loaded.Data.Actors?.Names, task.Pattern);
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
        var labels = task.Kind == AnswerKind.TrueFalse ? task.Labels : sample.Labels?.Replace("X", string.Empty, StringComparison.Ordinal) ?? task.Labels[..Math.Min(task.Labels.Length, sample.Choices?.Count ?? task.Labels.Length)];
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var likelihood = await _model.Completion.GetLogLikelihoodAsync(context, " " + label, new TextCompletionOptions { Trial = trial }, cancellationToken).ConfigureAwait(false);
            scores[label.ToString()] = Math.Round(likelihood.LogProbability, 6);
        }

        var best = scores.MaxBy(s => s.Value).Key;
        var score = SampleScorer.ScoreAnswer(task, loaded.Data, sample, new ExtractedAnswer(best, best), best);
        var values = new Dictionary<string, double>(score.Values, StringComparer.Ordinal);
        if (sample.Choices is { } choices)
        {
            // acc_norm as lm-evaluation-harness computes it: each option's text as the continuation, its log-likelihood
            // divided by its length in bytes, so longer options are not penalised for their length.
            var normalised = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var label in labels)
            {
                var text = choices[label - 'A'];
                var likelihood = await _model.Completion.GetLogLikelihoodAsync(context, " " + text, new TextCompletionOptions { Trial = trial }, cancellationToken).ConfigureAwait(false);
                normalised[label.ToString()] = likelihood.LogProbability / Math.Max(1, System.Text.Encoding.UTF8.GetByteCount(text));
            }

            values[Scoring.TaskMetric.NormalisedAccuracy] = normalised.MaxBy(s => s.Value).Key == sample.Target ? 1 : 0;
        }

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
            Values = values,
            Reason = "highest log-likelihood option",
            Attempts = sample.Choices is null ? labels.Length : labels.Length * 2,
            LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            OptionLogLikelihoods = scores,
        };
    }
}
