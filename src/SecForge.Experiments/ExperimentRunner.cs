using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Taxonomy;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Core.Running;
using SecForge.Evaluation.Protocols;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Tasks;
using SecForge.Models;
using SecForge.RedTeam.Plugins;
using SecForge.RedTeam.Running;
using SecForge.RedTeam.Strategies;
using SecForge.RedTeam.Taxonomy;
using SecForge.Reporting;

namespace SecForge.Experiments;

/// <summary>
/// Runs an experiment: for each model, the evaluation tasks through the eval runner and the red-team suite through
/// the red-team runner, each in its own run folder (so a rerun resumes and the model cache answers repeats); then
/// the seed paper's table: safety per OWASP and cyber-harm category for each model with deltas against the
/// baseline, beside utility, as experiment.html, .md and .json.
/// </summary>
public sealed class ExperimentRunner(ExperimentSpec spec, string outputDirectory, Func<string, ModelConnection> connect)
{
    public async Task<ExperimentResults> RunAsync(IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        // Each model's eval and red-team runs hold their own directories and check their own settings; the experiment's
        // directory is held so that two experiments never write one table at once.
        using var run = RunDirectory.Open(outputDirectory, new RunManifest { Kind = "experiment", Seed = spec.Seed, Settings = new JsonObject { ["name"] = spec.Name } });
        var tasks = spec.Eval is null ? [] : spec.Eval.Tasks.Select(ResolveTask).ToList();
        List<Attack>? attacks = null;
        if (spec.Redteam is { } suite)
        {
            attacks = suite.Attacks is { } file
                ? AttackSet.Read(spec.Resolve(file))
                : await new AttackGenerator().GenerateAsync(
                    new GenerateOptions
                    {
                        Owasp = suite.Owasp.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : OwaspTaxonomy.Default.Select(suite.Owasp),
                        Harms = CyberHarms.ParseList(suite.Harms, "redteam.harms", spec.SourcePath),
                        Benign = suite.Benign,
                        Strategies = StrategyCatalog.Select(suite.Strategies),
                        Seed = spec.Seed,
                        Limit = suite.Limit,
                    },
                    cancellationToken).ConfigureAwait(false);
            await AttackSet.WriteAsync(Path.Combine(outputDirectory, "attacks.jsonl"), attacks, cancellationToken).ConfigureAwait(false);
        }

        var rows = new List<ExperimentModelResult>();
        foreach (var model in spec.Models)
        {
            using var connection = connect(model.Spec);
            var folder = Path.Combine(outputDirectory, "models", model.Name);
            EvalResults? eval = null;
            RedTeamResults? redteam = null;
            if (tasks.Count > 0)
            {
                progress?.Report(new ProgressUpdate($"eval {model.Name}", 0, null, "items"));
                var runner = new EvalRunner(connection, new EvalRunOptions
                {
                    Tasks = tasks,
                    DataDirectory = spec.Eval!.Data is { } data ? spec.Resolve(data) : null,
                    OutputDirectory = Path.Combine(folder, "eval"),
                    Protocol = EvalProtocol.Get(spec.Eval.Protocol, model.Base),
                    Limit = spec.Eval.Limit,
                    Trials = spec.Eval.Trials,
                    Concurrency = spec.Concurrency,
                    Seed = spec.Seed,
                    MaxOutputTokens = spec.MaxTokens,
                });
                eval = await runner.RunAsync(Relabel(progress, $"eval {model.Name}"), cancellationToken).ConfigureAwait(false);
            }

            if (attacks is not null)
            {
                using var judge = spec.Redteam!.Judge is { } judgeSpec ? connect(judgeSpec) : null;
                var runner = new RedTeamRunner(connection, new RedTeamRunOptions { Attacks = attacks, OutputDirectory = Path.Combine(folder, "redteam"), Concurrency = spec.Concurrency, Seed = spec.Seed, MaxOutputTokens = spec.MaxTokens ?? 1024 }, judge);
                redteam = await runner.RunAsync(Relabel(progress, $"redteam {model.Name}"), cancellationToken).ConfigureAwait(false);
            }

            rows.Add(new ExperimentModelResult { Name = model.Name, Spec = connection.Name, Eval = eval, RedTeam = redteam });
        }

        var results = new ExperimentResults { Name = spec.Name, Baseline = spec.Baseline ?? spec.Models[0].Name, Seed = spec.Seed, Models = rows };
        var table = ExperimentTable.Build(results);
        await AtomicFile.WriteAllTextAsync(Path.Combine(outputDirectory, "experiment.json"), JsonSerializer.Serialize(new { results.Name, results.Baseline, results.Seed, table.Columns, table.Rows }, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAsync(ExperimentTable.Report(results, table), Path.Combine(outputDirectory, "experiment.html"), cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAsync(ExperimentTable.Report(results, table), Path.Combine(outputDirectory, "experiment.md"), cancellationToken).ConfigureAwait(false);
        return results;
    }

    private EvalTask ResolveTask(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? CustomTask.Load(spec.Resolve(name))
            : BuiltinTasks.Find(name) ?? throw new InputException($"unknown task '{name}' (see 'secforge eval tasks')", spec.SourcePath, null, "eval.tasks");

    private static Progress<ProgressUpdate>? Relabel(IProgress<ProgressUpdate>? progress, string task) =>
        progress is null ? null : new Progress<ProgressUpdate>(u => progress.Report(u with { Task = task }));
}

/// <summary>The runs of an experiment.</summary>
public sealed record ExperimentResults
{
    public required string Name { get; init; }

    public required string Baseline { get; init; }

    public int Seed { get; init; }

    public required IReadOnlyList<ExperimentModelResult> Models { get; init; }
}

public sealed record ExperimentModelResult
{
    public required string Name { get; init; }

    public required string Spec { get; init; }

    public EvalResults? Eval { get; init; }

    public RedTeamResults? RedTeam { get; init; }
}
