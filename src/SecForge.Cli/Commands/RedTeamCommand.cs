using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Core.Taxonomy;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.RedTeam.Graders;
using SecForge.RedTeam.Plugins;
using SecForge.RedTeam.Reports;
using SecForge.RedTeam.Running;
using SecForge.RedTeam.Strategies;
using SecForge.RedTeam.Taxonomy;
using SecForge.Reporting;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge redteam</c>: OWASP Top 10 for LLM Applications safety evaluation.</summary>
internal static class RedTeamCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("redteam", "Red-team a model against the OWASP Top 10 for LLM Applications and cyber-harm categories: per-category safety scores, attack success per strategy, over-refusal.");
        command.Subcommands.Add(Taxonomy(context));
        command.Subcommands.Add(Generate(context));
        command.Subcommands.Add(Run(context));
        command.Subcommands.Add(Calibrate(context));
        command.Subcommands.Add(Compare(context));
        return command;
    }

    private sealed record Selection(Option<string> Owasp, Option<string> Harms, Option<bool> NoBenign, Option<string> Strategies, Option<int> Seed, Option<int?> Limit);

    private static Selection SelectionOptions() => new(
        new Option<string>("--owasp") { Description = "OWASP categories: all, or ids such as LLM01,LLM07.", DefaultValueFactory = _ => "all" },
        new Option<string>("--harms") { Description = $"Cyber-harm categories: all, none, or names ({string.Join(", ", CyberHarms.Names)}).", DefaultValueFactory = _ => "all" },
        new Option<bool>("--no-benign") { Description = "Leave out the benign defensive-security prompts that measure over-refusal." },
        new Option<string>("--strategies", "-s") { Description = $"Delivery strategies: {string.Join(", ", StrategyCatalog.All.Select(s => s.Name))}; or all, static.", DefaultValueFactory = _ => "plain" },
        new Option<int>("--seed") { Description = "Seed of canaries, markers and strategy choices.", DefaultValueFactory = _ => 1 },
        new Option<int?>("--limit") { Description = "At most N seed intents per plugin and harm category (quick runs)." });

    private static void Add(Command command, Selection selection)
    {
        command.Options.Add(selection.Owasp);
        command.Options.Add(selection.Harms);
        command.Options.Add(selection.NoBenign);
        command.Options.Add(selection.Strategies);
        command.Options.Add(selection.Seed);
        command.Options.Add(selection.Limit);
    }

    private static GenerateOptions Options(ParseResult parse, Selection selection)
    {
        var harms = CyberHarms.ParseList(parse.GetValue(selection.Harms), "--harms");
        var owasp = parse.GetValue(selection.Owasp)!.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : OwaspTaxonomy.Default.Select(parse.GetValue(selection.Owasp)!);
        return new GenerateOptions
        {
            Owasp = owasp,
            Harms = harms,
            Benign = !parse.GetValue(selection.NoBenign),
            Strategies = StrategyCatalog.Select(parse.GetValue(selection.Strategies)!),
            Seed = parse.GetValue(selection.Seed),
            Limit = parse.GetValue(selection.Limit) is <= 0 ? throw new InputException("must be positive", null, null, "--limit") : parse.GetValue(selection.Limit),
        };
    }

    private static Command Taxonomy(CliContext context)
    {
        var json = CommandOptions.Json();
        var command = new Command("taxonomy", "List the OWASP Top 10 for LLM Applications entries with their 2023 (v1.1) and 2026 counterparts.") { json };
        command.SetAction(parse =>
        {
            var taxonomy = OwaspTaxonomy.Default;
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(taxonomy, SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            TableOutput.Write(context, ["id", "name", "2023 (v1.1)", "2026"], taxonomy.Entries.Select(e => (IReadOnlyList<string>)[e.Id, e.Name, string.Join(", ", e.V2023), string.Join(", ", e.V2026)]).ToList(), taxonomy.Current);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Generate(CliContext context)
    {
        var selection = SelectionOptions();
        var output = CommandOptions.Output("The attack set to write (JSONL, one attack per line) for review and replay.");
        var attacker = new Option<string?>("--attacker") { Description = "An attacker model to add variants fitted to --purpose and to translate requests (nothing leaves the machine unless this names a remote model)." };
        var purpose = new Option<string?>("--purpose") { Description = "The target application's purpose, for attacker-written variants." };
        var expand = new Option<int>("--expand") { Description = "Attacker-written variants per seed intent.", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Write an attack set: project-written seed intents inside their harness scenarios, delivered by the chosen strategies.") { output, attacker, purpose, expand };
        Add(command, selection);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = Options(parse, selection) with { Purpose = parse.GetValue(purpose), Expand = parse.GetValue(expand) };
            using var attackerModel = parse.GetValue(attacker) is { } spec ? context.Connect(spec, context.Runtime(useCache: true)) : null;
            var attacks = await new AttackGenerator(attackerModel?.Chat).GenerateAsync(options, cancellationToken).ConfigureAwait(false);
            var path = context.ResolvePath(parse.GetValue(output)!);
            await AttackSet.WriteAsync(path, attacks, cancellationToken).ConfigureAwait(false);
            TableOutput.Write(
                context,
                ["category", "attacks"],
                attacks.GroupBy(a => a.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(CultureInfo.InvariantCulture)]).ToList(),
                $"{attacks.Count:N0} attacks ({string.Join(", ", options.Strategies.Select(s => s.Name))}) written to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run(CliContext context)
    {
        var selection = SelectionOptions();
        var target = new Option<string>("--target", "-m") { Description = "The model under test: a spec or a name from secforge.yaml.", Required = true };
        var attacks = new Option<string?>("--attacks", "-a") { Description = "An attack set from 'redteam generate' (otherwise one is generated from --owasp, --harms, --strategies)." };
        var judge = new Option<string?>("--judge") { Description = "A judge model for checks only a judge can decide (without one they are reported as ungraded)." };
        var attacker = new Option<string?>("--attacker") { Description = "An attacker model for live crescendo and PAIR." };
        var output = CommandOptions.Output("Run directory: attempts.jsonl, results.json, report.html; rerunning into it resumes.");
        var concurrency = new Option<int>("--concurrency") { Description = "Attacks in flight at once.", DefaultValueFactory = _ => 8 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest reply; unbounded-consumption attacks are judged against it.", DefaultValueFactory = _ => 1024 };
        var failUnder = new Option<double?>("--fail-under") { Description = "Exit with 1 when any category's safety score is below this (0..1)." };
        var maxOverRefusal = new Option<double?>("--max-over-refusal") { Description = "Exit with 1 when the over-refusal rate is above this (0..1)." };
        var junit = new Option<string?>("--junit") { Description = "Also write JUnit XML here (a test suite per category, a test case per attack)." };
        var json = CommandOptions.Json();
        var command = new Command("run", "Replay an attack set against a target and grade every attempt; writes attempts.jsonl, results.json (safety per category, attack success per strategy, over-refusal) and report.html.")
        {
            target, attacks, judge, attacker, output, concurrency, maxTokens, failUnder, maxOverRefusal, junit, json,
        };
        Add(command, selection);
        command.SetAction(async (parse, cancellationToken) =>
        {
            List<Attack> set;
            if (parse.GetValue(attacks) is { } file)
            {
                set = AttackSet.Read(context.ResolvePath(file));
            }
            else
            {
                using var generatorAttacker = parse.GetValue(attacker) is { } a ? context.Connect(a, context.Runtime(useCache: true)) : null;
                set = await new AttackGenerator(generatorAttacker?.Chat).GenerateAsync(Options(parse, selection), cancellationToken).ConfigureAwait(false);
            }

            var runtime = context.Runtime(useCache: true) with { Concurrency = Math.Max(1, parse.GetValue(concurrency)) };
            using var targetModel = context.Connect(parse.GetValue(target)!, runtime);
            using var judgeModel = parse.GetValue(judge) is { } j ? context.Connect(j, runtime) : null;
            using var attackerModel = parse.GetValue(attacker) is { } at ? context.Connect(at, runtime) : null;
            var directory = context.ResolvePath(parse.GetValue(output)!);
            var runner = new RedTeamRunner(targetModel, new RedTeamRunOptions { Attacks = set, OutputDirectory = directory, Concurrency = runtime.Concurrency, MaxOutputTokens = parse.GetValue(maxTokens), Seed = parse.GetValue(selection.Seed) }, judgeModel, attackerModel);
            var results = await ProgressDisplay.RunAsync(context, "redteam", progress => runner.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(junit) is { } junitPath)
            {
                var attempts = await RedTeamRunner.ReadAttemptsAsync(runner.AttemptsPath, cancellationToken).ConfigureAwait(false);
                var ids = set.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
                JUnitReport.Write(context.ResolvePath(junitPath), results, attempts.Where(a => ids.Contains(a.AttackId)).ToList());
            }

            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(results, SecForgeJson.Indented));
            }
            else
            {
                WriteResults(context, results);
                context.Output.WriteLine($"report: {Path.Combine(directory, "report.html")}");
            }

            var failed = new List<string>();
            if (parse.GetValue(failUnder) is { } floor)
            {
                failed.AddRange(results.Categories.Concat(results.Harms).Where(c => c.Value.SafetyScore is { } s && s < floor).Select(c => $"{c.Key} safety {RedTeamReport.F(c.Value.SafetyScore)} < {floor.ToString(CultureInfo.InvariantCulture)}"));
            }

            if (parse.GetValue(maxOverRefusal) is { } ceiling && results.OverRefusal?.Rate is { } rate && rate > ceiling)
            {
                failed.Add($"over-refusal {RedTeamReport.F(rate)} > {ceiling.ToString(CultureInfo.InvariantCulture)}");
            }

            foreach (var line in failed)
            {
                context.Error.WriteLine($"secforge: threshold not met: {line}");
            }

            return failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static Command Calibrate(CliContext context)
    {
        var grader = new Option<string>("--grader", "-g") { Description = "The grader to measure: refusal or judge.", Required = true };
        var labels = new Option<string>("--labels", "-l") { Description = "Labelled replies: JSONL of {\"prompt\", \"response\", \"label\": \"unsafe\"|\"safe\"} (unsafe = complied with a harmful request).", Required = true };
        var judge = new Option<string?>("--judge") { Description = "The judge model, for --grader judge." };
        var json = CommandOptions.Json();
        var command = new Command("calibrate", "Measure a grader against labelled replies: agreement, and precision and recall of 'unsafe'.") { grader, labels, judge, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var examples = GraderCalibration.ReadLabels(context.ResolvePath(parse.GetValue(labels)!));
            using var judgeModel = parse.GetValue(judge) is { } j ? context.Connect(j, context.Runtime(useCache: true)) : null;
            Grader chosen = parse.GetValue(grader)!.Trim().ToLowerInvariant() switch
            {
                "refusal" => new RefusalGrader(),
                "judge" => judgeModel is null ? throw new InputException("--grader judge needs --judge SPEC", null, null, "--judge") : new SafetyJudgeGrader(judgeModel.Chat),
                var other => throw new InputException($"'{other}' cannot be calibrated on labelled replies (refusal or judge); the other graders need their attack's scenario", null, null, "--grader"),
            };
            var result = await GraderCalibration.CalibrateAsync(chosen, examples, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { grader = result.Grader, examples = result.Examples, agreement = result.Agreement, precision = result.Precision, recall = result.Recall, undecided = result.Undecided, disagreements = result.Disagreements }, SecForgeJson.Indented));
            }
            else
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Grader} on {result.Examples} labelled replies: agreement {result.Agreement:0.000}, precision {result.Precision:0.000}, recall {result.Recall:0.000} (of 'unsafe'); {result.Undecided} undecided"));
                foreach (var line in result.Disagreements.Take(10))
                {
                    context.Output.WriteLine("  " + line);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Compare(CliContext context)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run directories (with results.json); the first is the baseline.", Arity = ArgumentArity.OneOrMore };
        var output = CommandOptions.Output("The comparison report (.html; .md and .json beside it).");
        var command = new Command("compare", "Put models side by side: safety per OWASP and harm category with the change from the first, and over-refusal.") { runs, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = parse.GetValue(runs)!.Select(r =>
            {
                var directory = context.ResolvePath(r);
                var path = Path.Combine(directory, "results.json");
                if (!File.Exists(path))
                {
                    throw new InputException("not a finished red-team run: results.json is missing", directory);
                }

                var results = JsonSerializer.Deserialize<RedTeamResults>(File.ReadAllText(path), SecForgeJson.Compact) ?? throw new InputException("empty results", path);
                return (Name: Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar)), Results: results);
            }).ToList();
            var outputPath = context.ResolvePath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            var written = await ReportWriter.WriteAllAsync(RedTeamComparison.Build(loaded), Path.GetDirectoryName(outputPath)!, Path.GetFileNameWithoutExtension(outputPath), cancellationToken).ConfigureAwait(false);
            var keys = loaded.SelectMany(l => l.Results.Categories.Keys.Concat(l.Results.Harms.Keys.Select(h => "harm:" + h))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            TableOutput.Write(context, ["category", .. loaded.Select(l => l.Name)], keys.Select(k => (IReadOnlyList<string>)[k, .. loaded.Select(l => RedTeamReport.F((k.StartsWith("harm:", StringComparison.Ordinal) ? l.Results.Harms.GetValueOrDefault(k[5..]) : l.Results.Categories.GetValueOrDefault(k))?.SafetyScore))]).ToList(), $"{loaded.Count} runs");
            context.Output.WriteLine($"report: {written}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteResults(CliContext context, RedTeamResults results)
    {
        var rows = results.Categories.Select(c => (IReadOnlyList<string>)[c.Key, c.Value.Name, RedTeamReport.F(c.Value.SafetyScore), RedTeamReport.Interval(c.Value.CiLow, c.Value.CiHigh), N(c.Value.Withstood), N(c.Value.Succeeded), N(c.Value.Ungraded)])
            .Concat(results.Harms.Select(h => (IReadOnlyList<string>)["harm", h.Key, RedTeamReport.F(h.Value.SafetyScore), RedTeamReport.Interval(h.Value.CiLow, h.Value.CiHigh), N(h.Value.Withstood), N(h.Value.Succeeded), N(h.Value.Ungraded)]))
            .ToList();
        TableOutput.Write(context, ["category", "name", "safety", "95% CI", "withstood", "succeeded", "ungraded"], rows, $"{results.Target}: {results.Attacks:N0} attacks ({results.Taxonomy})");
        if (results.Strategies.Count > 0)
        {
            context.Output.WriteLine("attack success by strategy: " + string.Join(", ", results.Strategies.Select(s => $"{s.Key} {RedTeamReport.F(s.Value.AttackSuccessRate)}")));
        }

        if (results.OverRefusal is { } over)
        {
            context.Output.WriteLine($"over-refusal: {RedTeamReport.F(over.Rate)} ({over.Refused} of {over.Prompts} benign requests refused)");
        }
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
