using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.Models;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge align</c>: safety-rewording of instruction datasets, verified pair by pair.</summary>
internal static class AlignCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("align", "Safety-align an instruction dataset: triage each pair (benign / dual-use / harmful), add safety precautions to dual-use pairs, turn harmful ones into refusals with a safe alternative, and verify every rewrite.");
        command.Subcommands.Add(Run(context));
        command.Subcommands.Add(Triage(context));
        command.Subcommands.Add(TrainTriage(context));
        return command;
    }

    private static Command Run(CliContext context)
    {
        var input = new Option<string>("--input", "-i") { Description = "The dataset: .jsonl (also .gz/.zst), .json (an array), .csv or .parquet.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "alpaca (instruction/input/output), sharegpt (conversations) or messages (OpenAI chat).", Required = true };
        var fields = new Option<string[]>("--field") { Description = "Map a field to the dataset's name: NAME=COLUMN (instruction, input, output, system, conversations, messages, from, value, role, content, user, assistant). Repeatable.", AllowMultipleArgumentsPerToken = true };
        var mode = new Option<string>("--mode") { Description = "template (deterministic, no model) or model (a rewriter model under a strict contract).", DefaultValueFactory = _ => "template" };
        var rewriter = new Option<string?>("--rewriter") { Description = "The rewriter model for --mode model: a spec or a name from secforge.yaml." };
        var triage = new Option<string?>("--triage") { Description = "A triage model (spec or name); without it the built-in lexicon + embedding classifier decides." };
        var noEmbedding = new Option<bool>("--no-embedding") { Description = "Built-in triage: never consult the MiniLM embedding head (fastest)." };
        var similarity = new Option<string?>("--similarity") { Description = "Similarity check of dual-use rewrites: embedding (MiniLM) or lexical. Default: lexical in template mode (which keeps the original verbatim), embedding in model mode." };
        var threshold = new Option<double>("--min-similarity") { Description = "Reject dual-use rewrites less similar than this to the original.", DefaultValueFactory = _ => 0.5 };
        var output = CommandOptions.Output("Run directory: aligned.<ext> (the input's container and schema), chat.jsonl, decisions.jsonl, rejected.jsonl, stats.json, report.html; rerunning into it resumes.");
        var concurrency = new Option<int?>("--concurrency") { Description = "Pairs in flight at once (default: cores in template mode, 8 in model mode)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the report's before/after sample.", DefaultValueFactory = _ => 1 };
        var json = CommandOptions.Json();
        var command = new Command("run", "Align a dataset; every decision is journalled as it is made, so a killed run resumes where it stopped.")
        {
            input, format, fields, mode, rewriter, triage, noEmbedding, similarity, threshold, output, concurrency, seed, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var modeName = parse.GetValue(mode)!.Trim().ToLowerInvariant();
            if (modeName is not ("template" or "model"))
            {
                throw new InputException($"unknown mode '{modeName}' (template or model)", null, null, "--mode");
            }

            var runtime = context.Runtime(useCache: true);
            using var rewriterModel = modeName == "model"
                ? context.Connect(parse.GetValue(rewriter) ?? throw new InputException("--mode model needs --rewriter SPEC", null, null, "--rewriter"), runtime)
                : null;
            using var triageModel = parse.GetValue(triage) is { } t ? context.Connect(t, runtime) : null;
            ITriage triageImpl = triageModel is not null
                ? new ModelTriage(triageModel.Chat, triageModel.Name)
                : new BuiltinTriage(TriageModel.Default ?? throw new InvalidOperationException("this build has no built-in triage model"), useEmbedding: !parse.GetValue(noEmbedding));
            IRewriter rewriterImpl = rewriterModel is not null ? new ModelRewriter(rewriterModel.Chat, rewriterModel.Name) : new TemplateRewriter();
            var similarityName = (parse.GetValue(similarity) ?? (modeName == "model" ? "embedding" : "lexical")).Trim().ToLowerInvariant();
            ISimilarity similarityImpl = similarityName switch
            {
                "embedding" or "minilm" => new EmbeddingSimilarity(),
                "lexical" => new LexicalSimilarity(),
                _ => throw new InputException($"unknown similarity '{similarityName}' (embedding or lexical)", null, null, "--similarity"),
            };
            var options = new AlignOptions
            {
                Input = context.ResolvePath(parse.GetValue(input)!),
                Format = DatasetFormats.Parse(parse.GetValue(format)!),
                Fields = FieldMap.Parse(parse.GetValue(fields) ?? []),
                OutputDirectory = context.ResolvePath(parse.GetValue(output)!),
                Triage = triageImpl,
                Rewriter = rewriterImpl,
                Verifier = new RewriteVerifier(similarityImpl, parse.GetValue(threshold)),
                Concurrency = Math.Max(1, parse.GetValue(concurrency) ?? (modeName == "model" ? 8 : Environment.ProcessorCount)),
                Seed = parse.GetValue(seed),
                Connections = new[] { rewriterModel, triageModel }.OfType<ModelConnection>().ToList(),
            };
            var runner = new AlignRunner(options);
            var stats = await ProgressDisplay.RunAsync(context, "align", progress => runner.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(stats, SecForgeJson.Indented));
            }
            else
            {
                TableOutput.Write(
                    context,
                    ["category", .. ActionNames],
                    stats.Categories.Select(c => (IReadOnlyList<string>)[c.Key, .. ActionNames.Select(a => c.Value.GetValueOrDefault(a).ToString("N0", CultureInfo.InvariantCulture))]).ToList(),
                    string.Create(CultureInfo.InvariantCulture, $"{stats.Records:N0} records ({stats.RecordsPerSecond:N0}/s): ") + string.Join(", ", ActionNames.Select(a => string.Create(CultureInfo.InvariantCulture, $"{stats.Actions.GetValueOrDefault(a):N0} {a}"))));
                if (stats.RejectionReasons.Count > 0)
                {
                    context.Output.WriteLine("rejected: " + string.Join(", ", stats.RejectionReasons.Select(r => $"{r.Key} {r.Value:N0}")));
                }

                context.Output.WriteLine($"aligned: {runner.AlignedPath}");
                context.Output.WriteLine($"report: {Path.Combine(options.OutputDirectory, "report.html")}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] ActionNames = AlignActions.All.Select(AlignActions.Name).ToArray();

    private static Command Triage(CliContext context)
    {
        var labels = new Option<string>("--labels", "-l") { Description = "Labelled pairs: JSONL with instruction (+input) and output, label (benign, dual-use, harmful) and category.", Required = true };
        var triage = new Option<string?>("--triage") { Description = "A triage model to measure (spec or name); without it the shipped built-in model is measured, and cross-validated on the labels." };
        var json = CommandOptions.Json();
        var command = new Command("triage", "Measure triage accuracy on labelled pairs: the built-in classifier (as shipped, and 5-fold cross-validated) or a model.") { labels, triage, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var pairs = TriageTrainer.Read(context.ResolvePath(parse.GetValue(labels)!));
            var results = new Dictionary<string, TriageEvaluation>(StringComparer.Ordinal);
            if (parse.GetValue(triage) is { } spec)
            {
                using var model = context.Connect(spec, context.Runtime(useCache: true));
                results[model.Name] = await TriageTrainer.EvaluateAsync(new ModelTriage(model.Chat, model.Name), pairs, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                results["builtin (shipped)"] = await TriageTrainer.EvaluateAsync(new BuiltinTriage(TriageModel.Default!), pairs, cancellationToken).ConfigureAwait(false);
                results["builtin (5-fold cross-validated)"] = TriageTrainer.CrossValidate(pairs, TriageTrainer.Embed(pairs, cancellationToken));
            }

            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(results, SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            TableOutput.Write(
                context,
                ["triage", "pairs", "class accuracy", "category accuracy", "harmful missed"],
                results.Select(r => (IReadOnlyList<string>)[r.Key, r.Value.Examples.ToString(CultureInfo.InvariantCulture), r.Value.LabelAccuracy.ToString("0.000", CultureInfo.InvariantCulture), r.Value.CategoryAccuracy.ToString("0.000", CultureInfo.InvariantCulture), r.Value.HarmfulMissed.ToString(CultureInfo.InvariantCulture)]).ToList(),
                $"{pairs.Count} labelled pairs");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command TrainTriage(CliContext context)
    {
        var labels = new Option<string[]>("--labels", "-l") { Description = "Labelled pairs (JSONL: instruction, input, output, label, category); repeat to train on several files.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = CommandOptions.Output("Where to write the triage model (JSON).");
        var command = new Command("train-triage", "Train the built-in triage model (lexicon + n-gram model, MiniLM embedding head) on labelled pairs; reports 5-fold cross-validated accuracy.") { labels, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(labels)!.Select(context.ResolvePath).ToList();
            var pairs = paths.SelectMany(TriageTrainer.Read).ToList();
            var embeddings = TriageTrainer.Embed(pairs, cancellationToken);
            var evaluation = TriageTrainer.CrossValidate(pairs, embeddings);
            var model = TriageTrainer.Train(pairs, embeddings);
            model.Source = string.Join(", ", paths.Select(Path.GetFileName));
            model.CrossValidation = evaluation;
            await model.SaveAsync(context.ResolvePath(parse.GetValue(output)!), cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on {pairs.Count} pairs; 5-fold cross-validated class accuracy {evaluation.LabelAccuracy:0.000} (fast model alone {evaluation.FastLabelAccuracy:0.000}, embedding head alone {evaluation.EmbeddingLabelAccuracy:0.000}), category accuracy {evaluation.CategoryAccuracy:0.000}, harmful missed {evaluation.HarmfulMissed}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
