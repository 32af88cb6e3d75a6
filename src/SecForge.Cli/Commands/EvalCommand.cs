using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Protocols;
using SecForge.Evaluation.Reports;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;
using SecForge.Reporting;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge eval</c>: cybersecurity benchmarks under the Foundation-Sec and the benchmarks' own protocols.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("eval", "Evaluate models on cybersecurity benchmarks (CTIBench, CyberMetric, SecBench, SecEval, SECURE, MMLU, SEvenLLM, custom tasks): resumable runs, re-scorable logs, reports.");
        command.Subcommands.Add(Tasks(context));
        command.Subcommands.Add(Run(context));
        command.Subcommands.Add(Score(context));
        command.Subcommands.Add(Report(context));
        command.Subcommands.Add(Compare(context));
        return command;
    }

    private static Option<string> DataOption(bool required = false) => new("--data", "-d")
    {
        Description = "Folder holding the benchmarks' files as they distribute them (searched recursively by file name, e.g. cti-mcq.tsv, CyberMetric-500-v1.json).",
        Required = required,
    };

    private static Command Tasks(CliContext context)
    {
        var data = DataOption();
        var json = CommandOptions.Json();
        var command = new Command("tasks", "List the built-in tasks; with --data, which are found there and how many items each has.") { data, json };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data) is { } d ? new BenchmarkFiles(context.ResolvePath(d)) : null;
            var rows = new List<TaskListing>();
            foreach (var task in BuiltinTasks.All)
            {
                int? samples = null;
                List<string>? skipped = null;
                string? found = null;
                string? problem = null;
                if (folder is not null)
                {
                    found = folder.FindAny(task.Files);
                    if (found is not null)
                    {
                        try
                        {
                            var data = task.Load(folder);
                            samples = data.Samples.Count;
                            skipped = data.Skipped.Select(s => s.ToString()).ToList();
                        }
                        catch (InputException exception)
                        {
                            problem = exception.Message;
                        }
                    }
                }

                rows.Add(new TaskListing(task.Name, task.Benchmark, samples, skipped?.Count, skipped, task.Kind.ToString(), task.Files, found, problem, task.Description));
            }

            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(folder is null ? rows : rows.Where(r => r.Found is not null), SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            var shown = folder is null ? rows : rows.Where(r => r.Found is not null).ToList();
            TableOutput.Write(
                context,
                folder is null ? ["task", "benchmark", "answer", "files", "what it measures"] : ["task", "items", "skipped", "file", "what it measures"],
                shown.Select(r => folder is null
                    ? (IReadOnlyList<string>)[r.Task, r.Benchmark, r.Answer, string.Join(", ", r.Files), r.Description]
                    : [r.Task, r.Samples?.ToString("N0", CultureInfo.InvariantCulture) ?? "error: " + r.Problem, r.SkippedCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", Path.GetRelativePath(folder.Root, r.Found!), r.Description]).ToList(),
                folder is null ? $"{rows.Count} built-in tasks; custom tasks: --tasks path/to/task.yaml" : $"{shown.Count} of {rows.Count} tasks found under {folder.Root}");
            foreach (var row in shown.Where(r => r.SkippedCount > 0))
            {
                // Every skipped row, with where it is and why: a count alone cannot be checked.
                context.Output.WriteLine($"{row.Task}: {row.SkippedCount:N0} row(s) skipped");
                foreach (var item in row.Skipped!.Take(20))
                {
                    context.Output.WriteLine("  " + item);
                }

                if (row.SkippedCount > 20)
                {
                    context.Output.WriteLine($"  … {row.SkippedCount - 20:N0} more (--json lists them all)");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model: a spec (openai:NAME@URL, ollama:NAME, gguf:PATH) or a name from secforge.yaml.", Required = true };
        var tasks = new Option<string>("--tasks", "-t") { Description = "Comma-separated task names (see 'secforge eval tasks') or paths of custom task YAML files.", Required = true };
        var data = DataOption();
        var output = CommandOptions.Output("Run directory: log.jsonl, results.json, report.html; rerunning into it resumes.");
        var protocol = new Option<string>("--protocol", "-p") { Description = $"Preset: {string.Join(", ", EvalProtocol.Names)} (benchmark = each benchmark's own).", DefaultValueFactory = _ => "benchmark" };
        var baseModel = new Option<bool>("--base") { Description = "With --protocol foundation-sec: the model is a base model (5-shot raw completion)." };
        var trials = new Option<int?>("--trials") { Description = "Trials per item (overrides the protocol)." };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (overrides the protocol)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N items of each task, in file order." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of shot sampling, sampling seeds and bootstrap intervals.", DefaultValueFactory = _ => 1 };
        var method = new Option<string>("--method") { Description = "generate (read the answer from a reply) or loglikelihood (most likely option letter; needs log-probabilities).", DefaultValueFactory = _ => "generate" };
        var judge = new Option<string?>("--judge") { Description = "Judge model for judge-graded tasks (secbench-saq, custom judge tasks)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Longest reply (overrides the protocol)." };
        var priceIn = new Option<double?>("--price-in") { Description = "USD per million input tokens, to report the run's cost." };
        var priceOut = new Option<double?>("--price-out") { Description = "USD per million output tokens." };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache." };
        var json = CommandOptions.Json();
        var command = new Command("run", "Run tasks against a model. Every item is appended to log.jsonl as it finishes; a killed run resumes where it stopped; results.json and report.html are written at the end.")
        {
            model, tasks, data, output, protocol, baseModel, trials, temperature, limit, concurrency, seed, method, judge, maxTokens, priceIn, priceOut, noCache, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var evalTasks = ResolveTasks(context, parse.GetValue(tasks)!);
            var methodName = parse.GetValue(method)!.Trim().ToLowerInvariant();
            var evalMethod = methodName switch
            {
                "generate" => EvalMethod.Generate,
                "loglikelihood" or "log-likelihood" => EvalMethod.LogLikelihood,
                _ => throw new InputException($"unknown method '{methodName}' (generate or loglikelihood)", null, null, "--method"),
            };
            var options = new EvalRunOptions
            {
                Tasks = evalTasks,
                DataDirectory = parse.GetValue(data) is { } d ? context.ResolvePath(d) : null,
                OutputDirectory = context.ResolvePath(parse.GetValue(output)!),
                Protocol = EvalProtocol.Get(parse.GetValue(protocol)!, parse.GetValue(baseModel)),
                Trials = Positive(parse.GetValue(trials), "--trials"),
                Temperature = parse.GetValue(temperature),
                Limit = Positive(parse.GetValue(limit), "--limit"),
                Concurrency = Positive(parse.GetValue(concurrency), "--concurrency") ?? 8,
                Seed = parse.GetValue(seed),
                Method = evalMethod,
                MaxOutputTokens = Positive(parse.GetValue(maxTokens), "--max-tokens"),
                PricePerMillionInput = parse.GetValue(priceIn),
                PricePerMillionOutput = parse.GetValue(priceOut),
            };
            var runtime = context.Runtime(useCache: !parse.GetValue(noCache)) with { Concurrency = options.Concurrency };
            using var target = context.Connect(parse.GetValue(model)!, runtime);
            using var judgeConnection = parse.GetValue(judge) is { } judgeSpec ? context.Connect(judgeSpec, runtime) : null;
            var runner = new EvalRunner(target, options, judgeConnection);
            var results = await ProgressDisplay.RunAsync(context, "eval", progress => runner.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(results, SecForgeJson.Indented));
            }
            else
            {
                WriteResults(context, results);
                context.Output.WriteLine($"log: {runner.LogPath}");
                context.Output.WriteLine($"report: {Path.Combine(options.OutputDirectory, "report.html")}");
            }

            var failed = results.Tasks.Values.Sum(t => t.Failed);
            if (failed > 0)
            {
                context.Error.WriteLine($"secforge: {failed} item×trial pair(s) failed after their retries (see log.jsonl); run the same command again to retry them.");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Score(CliContext context)
    {
        var task = new Option<string>("--task", "-t") { Description = "The task the responses answer (a built-in name or a custom task YAML).", Required = true };
        var data = DataOption();
        var responses = new Option<string>("--responses", "-r")
        {
            Description = "A SecForge log.jsonl, a JSONL of {\"id\", \"response\"} replies, or a TSV with a GT column and one column of extracted answers per model (CTIBench's published answers).",
            Required = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap intervals.", DefaultValueFactory = _ => 1 };
        var json = CommandOptions.Json();
        var command = new Command("score", "Re-score responses without calling a model: a run's log, raw replies, or published per-model answers; prints each model's metrics.")
        {
            task, data, responses, seed, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var evalTask = ResolveTasks(context, parse.GetValue(task)!).Single();
            var folder = parse.GetValue(data) is { } d ? new BenchmarkFiles(context.ResolvePath(d)) : null;
            if (folder is null && evalTask.Kind == AnswerKind.ThreatActor)
            {
                context.Error.WriteLine("secforge: without --data the alias graphs are not loaded: threat actors are compared by name only");
            }

            var result = await ResponseFileScorer.ScoreAsync(evalTask, folder, context.ResolvePath(parse.GetValue(responses)!), parse.GetValue(seed), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    task = result.Task,
                    file = result.File,
                    samples = result.Samples,
                    models = result.Models.ToDictionary(m => m.Key, m => m.Value.Metrics, StringComparer.Ordinal),
                }, SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            var metrics = result.Models.Values.SelectMany(m => m.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
            TableOutput.Write(
                context,
                ["model", .. metrics],
                result.Models.Select(m => (IReadOnlyList<string>)[m.Key, .. metrics.Select(k => m.Value.Metrics.TryGetValue(k, out var v) ? EvalReport.Format(v) : "-")]).ToList(),
                $"{result.Task}: {result.Samples} items from {Path.GetFileName(result.File)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Report(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "A run directory (with results.json and log.jsonl)." };
        var command = new Command("report", "Write a run's report again (report.html, .md, .json) from its results and log.") { run };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = context.ResolvePath(parse.GetValue(run)!);
            var results = ReadResults(directory);
            var path = await ReportWriter.WriteAllAsync(EvalReport.Build(results, Path.Combine(directory, "log.jsonl")), directory, "report", cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"report: {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Compare(CliContext context)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run directories (or their results.json files); the first is the baseline.", Arity = ArgumentArity.OneOrMore };
        var output = CommandOptions.Output("The comparison report (.html; .md and .json are written beside it).");
        var command = new Command("compare", "Put runs side by side: every task metric with its 95% interval and the difference from the first run.") { runs, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = parse.GetValue(runs)!.Select(r =>
            {
                var path = context.ResolvePath(r);
                var directory = File.Exists(path) ? Path.GetDirectoryName(path)! : path;
                return (Name: Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar)), Results: ReadResults(directory));
            }).ToList();
            var outputPath = context.ResolvePath(parse.GetValue(output)!);
            var report = EvalComparison.Build(loaded);
            var directory = Path.GetDirectoryName(outputPath)!;
            Directory.CreateDirectory(directory);
            var written = await ReportWriter.WriteAllAsync(report, directory, Path.GetFileNameWithoutExtension(outputPath), cancellationToken).ConfigureAwait(false);
            var tasks = loaded.SelectMany(l => l.Results.Tasks.Keys).Distinct(StringComparer.Ordinal).ToList();
            TableOutput.Write(
                context,
                ["task", .. loaded.Select(l => l.Name)],
                tasks.Select(t => (IReadOnlyList<string>)[t, .. loaded.Select(l => l.Results.Tasks.TryGetValue(t, out var r) && r.Headline is { } h && r.Metrics.TryGetValue(h, out var v) ? $"{h} {EvalReport.Format(v)}" : "-")]).ToList(),
                $"{loaded.Count} runs");
            context.Output.WriteLine($"report: {written}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteResults(CliContext context, EvalResults results)
    {
        var rows = results.Tasks.Values.Select(t =>
        {
            var name = t.Headline ?? "accuracy";
            var value = t.Metrics.TryGetValue(name, out var v) ? EvalReport.Format(v) : "-";
            var spread = t.Intervals.GetValueOrDefault(name);
            var flexibleName = name + "_flexible";
            var flexible = t.Metrics.TryGetValue(flexibleName, out var f) ? EvalReport.Format(f) : "-";
            return (IReadOnlyList<string>)[t.Task, name, value, spread is null || t.Trials < 2 ? "-" : "± " + EvalReport.Format(spread.Std), spread is null ? "-" : $"{EvalReport.Format(spread.CiLow)}–{EvalReport.Format(spread.CiHigh)}", flexible, t.Samples.ToString(CultureInfo.InvariantCulture), t.Skipped.ToString(CultureInfo.InvariantCulture), t.Refusals.ToString(CultureInfo.InvariantCulture), t.Failed.ToString(CultureInfo.InvariantCulture)];
        }).ToList();
        var usage = results.Usage;
        TableOutput.Write(
            context,
            ["task", "metric", "value", "std", "95% CI", "flexible", "items", "skipped", "refusals", "failed"],
            rows,
            $"{results.Model}, protocol {results.Protocol}, {results.Trials} trial(s), T {EvalReport.Format(results.Temperature)}" + (usage is null ? string.Empty : $"; {usage.Requests + usage.CacheHits:N0} requests, {usage.CacheHits:N0} from the cache, {usage.Calls:N0} model calls") + (results.CostUsd is { } cost ? $"; ${cost:0.####}" : string.Empty));
    }

    private static EvalResults ReadResults(string directory)
    {
        var path = Path.Combine(directory, "results.json");
        if (!File.Exists(path))
        {
            throw new InputException("not a finished run: results.json is missing", directory);
        }

        try
        {
            return JsonSerializer.Deserialize<EvalResults>(File.ReadAllText(path), SecForgeJson.Compact) ?? throw new InputException("empty results", path);
        }
        catch (JsonException exception)
        {
            throw new InputException($"not a SecForge results file: {exception.Message}", path);
        }
    }

    private static List<EvalTask> ResolveTasks(CliContext context, string list)
    {
        var tasks = new List<EvalTask>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                tasks.Add(CustomTask.Load(context.ResolvePath(name)));
                continue;
            }

            tasks.Add(BuiltinTasks.Find(name) ?? throw new InputException($"unknown task '{name}' (see 'secforge eval tasks'; custom tasks are .yaml files)", null, null, "--tasks"));
        }

        if (tasks.Count == 0)
        {
            throw new InputException("no tasks named", null, null, "--tasks");
        }

        if (tasks.Select(t => t.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != tasks.Count)
        {
            throw new InputException("a task is named twice", null, null, "--tasks");
        }

        return tasks;
    }

    private static int? Positive(int? value, string option) =>
        value is <= 0 ? throw new InputException("must be a positive number", null, null, option) : value;

    private sealed record TaskListing(string Task, string Benchmark, int? Samples, int? SkippedCount, IReadOnlyList<string>? Skipped, string Answer, IReadOnlyList<string> Files, string? Found, string? Problem, string Description);
}
