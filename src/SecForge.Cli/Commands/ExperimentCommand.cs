using System.CommandLine;
using SecForge.Experiments;
using SecForge.Cli.Console;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge experiment</c>: base vs fine-tuned vs aligned, safety beside utility.</summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("experiment", "Run an experiment file: several models through the same evaluation tasks and red-team suite, and the table of safety per category beside utility.");
        var file = new Argument<string>("file") { Description = "experiment.yaml: name, models (name + spec, base: true for base models), eval (tasks, data, protocol, limit, trials), redteam (owasp, harms, benign, strategies, limit, judge, or attacks: FILE), baseline, seed, concurrency, max_tokens, output." };
        var output = CommandOptions.Output("Run directory (default: the file's 'output', else runs/<name> beside it); rerunning resumes every model's runs.", required: false);
        var run = new Command("run", "Run every model through the tasks and the suite (resumable, cached) and write experiment.html, .md and .json.") { file, output };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var spec = ExperimentSpec.Load(context.ResolvePath(parse.GetValue(file)!));
            var directory = parse.GetValue(output) is { } o ? context.ResolvePath(o) : spec.Resolve(spec.Output ?? Path.Combine("runs", spec.Name));
            var runtime = context.Runtime(useCache: true) with { Concurrency = Math.Max(1, spec.Concurrency) };
            var runner = new ExperimentRunner(spec, directory, s => context.Connect(s, runtime));
            var results = await ProgressDisplay.RunAsync(context, "experiment", progress => runner.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            var table = ExperimentTable.Build(results);
            TableOutput.Write(
                context,
                table.Columns.ToList(),
                table.Rows.Select(r => (IReadOnlyList<string>)[r.Kind, r.Metric, .. results.Models.Select(m => r.Values.GetValueOrDefault(m.Name) is { } v ? v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "-")]).ToList(),
                $"{spec.Name}: {results.Models.Count} models, baseline {results.Baseline}");
            context.Output.WriteLine($"table: {Path.Combine(directory, "experiment.html")}");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(run);
        return command;
    }
}
