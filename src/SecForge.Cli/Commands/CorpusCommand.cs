using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Curation.Extraction;
using SecForge.Curation.Pipeline;
using SecForge.Curation.Sources;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge corpus</c>: the Foundation-Sec data pipeline and its tools.</summary>
internal static partial class CorpusCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("corpus", "Build a security corpus: read crawls and files, extract main content, filter by language, relevance and quality, scrub secrets, deduplicate, tokenize into training shards.");
        command.Subcommands.Add(Run(context));
        command.Subcommands.Add(Extract(context));
        command.Subcommands.Add(Inspect(context));
        command.Subcommands.Add(Label(context));
        command.Subcommands.Add(TrainClassifier(context));
        command.Subcommands.Add(MakeSampleCrawl(context));
        return command;
    }

    private static Command Run(CliContext context)
    {
        var config = new Option<string>("--config", "-c") { Description = "The corpus.yaml describing inputs and every stage's settings.", Required = true };
        var output = CommandOptions.Output("Directory for work shards, documents/, tokens/, stats.json and report.html.");
        var rank = new Option<int>("--rank") { Description = "This worker's rank (a Slurm array task id); it processes shards where shard % world-size == rank." };
        var worldSize = new Option<int>("--world-size") { Description = "Ranks in all. Ranks only run stage 1; run again without --rank to deduplicate and write.", DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Threads to use (default: every core)." };
        var json = CommandOptions.Json();
        var command = new Command("run", "Run the pipeline. Finished shards are skipped on a rerun, so an interrupted run resumes; outputs are byte-identical to an uninterrupted run.")
        {
            config, output, rank, worldSize, workers, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configPath = context.ResolvePath(parse.GetValue(config)!);
            var settings = CorpusConfig.Load(configPath);
            if (parse.GetValue(workers) is > 0 and var count)
            {
                settings.Workers = count;
            }

            var outputDirectory = context.ResolvePath(parse.GetValue(output)!);
            var runner = new CorpusRunner(settings, outputDirectory);
            var finished = await ProgressDisplay.RunAsync(context, "corpus", progress => runner.RunAsync(parse.GetValue(rank), parse.GetValue(worldSize), progress, cancellationToken)).ConfigureAwait(false);
            if (!finished)
            {
                context.Output.WriteLine($"rank {parse.GetValue(rank)} of {parse.GetValue(worldSize)}: stage 1 done in {outputDirectory}; when every rank has finished, run 'secforge corpus run --config {parse.GetValue(config)} --output {parse.GetValue(output)}' to deduplicate and write.");
                return ExitCodes.Success;
            }

            var stats = runner.Stats!;
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(stats, SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            var rows = stats.Stages.Select(s => (IReadOnlyList<string>)[s.Name, N(s.DocumentsIn), N(s.DocumentsOut), s.DropRate.ToString("0.0%", CultureInfo.InvariantCulture), Top(s.Drops)]).ToList();
            TableOutput.Write(context, ["stage", "in", "out", "dropped", "top reasons"], rows, $"{N(stats.Pages)} pages read ({N(stats.RecordsRead)} records, {N(stats.RecordsFailed)} failed), {N(stats.Documents)} documents kept, {N(stats.Tokens)} tokens");
            var timing = runner.Timing!;
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage 1 {timing.Stage1Seconds:0.0} s ({timing.RawMegabytesPerSecond:0.0} MB/s raw), finalize {timing.FinalizeSeconds:0.0} s, peak memory {timing.PeakWorkingSetMb} MB"));
            context.Output.WriteLine("thread time by stage: " + string.Join(", ", timing.StageSeconds.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:0.0} s"))));
            context.Output.WriteLine($"report: {Path.Combine(outputDirectory, "report.html")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Extract(CliContext context)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "HTML files or folders of them.", Arity = ArgumentArity.OneOrMore };
        var output = CommandOptions.Output("The JSONL file to write: one {\"path\", \"text\"} object per page.");
        var budget = new Option<double>("--time-budget") { Description = "Seconds one page may take.", DefaultValueFactory = _ => 3 };
        var explain = new Option<string?>("--explain") { Description = "For one page: show how the extractor judged the element holding this text (removed, main content, scores)." };
        var command = new Command("extract", "Extract the main content of HTML pages as Markdown (for inspection, or to score against an extraction benchmark).")
        {
            inputs, output, budget, explain,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = new List<string>();
            foreach (var input in parse.GetValue(inputs)!)
            {
                var path = context.ResolvePath(input);
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                        .Where(f => ShardPlanner.FormatOf(f, "auto", "inputs") == InputFormat.Html)
                        .Order(StringComparer.Ordinal));
                }
                else if (File.Exists(path))
                {
                    files.Add(path);
                }
                else
                {
                    throw new InputException("file or folder not found", input);
                }
            }

            var extractor = new HtmlExtractor(new ExtractionOptions { TimeBudget = TimeSpan.FromSeconds(parse.GetValue(budget)) });
            if (parse.GetValue(explain) is { } needle)
            {
                if (files.Count != 1)
                {
                    throw new InputException("--explain needs exactly one page");
                }

                foreach (var line in extractor.Explain(HtmlDecoder.Decode(await File.ReadAllBytesAsync(files[0], cancellationToken).ConfigureAwait(false)).Text, needle))
                {
                    context.Output.WriteLine(line);
                }

                return ExitCodes.Success;
            }

            var target = context.ResolvePath(parse.GetValue(output)!);
            var results = new (string Path, string Text, string? Failure)[files.Count];
            var done = 0;
            await ProgressDisplay.RunAsync(context, "extract", progress =>
            {
                Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var decoded = HtmlDecoder.Decode(File.ReadAllBytes(files[i]));
                    var result = extractor.Extract(decoded.Text, cancellationToken);
                    results[i] = (files[i], result.Text, result.Failure);
                    progress.Report(new("extract", Interlocked.Increment(ref done), files.Count, "pages"));
                });
                return Task.FromResult(0);
            }).ConfigureAwait(false);

            await AtomicFile.WriteAsync(target, async (stream, ct) =>
            {
                foreach (var (path, text, failure) in results)
                {
                    await JsonSerializer.SerializeAsync(stream, new ExtractedPage(Path.GetRelativePath(context.WorkingDirectory, path), text, failure), SecForgeJson.Compact, ct).ConfigureAwait(false);
                    stream.WriteByte((byte)'\n');
                }
            }, cancellationToken).ConfigureAwait(false);
            var failed = results.Count(r => r.Failure is not null);
            context.Output.WriteLine($"extracted {files.Count - failed} of {files.Count} pages into {target}" + (failed > 0 ? $"; {failed} failed (see their 'failure' field)" : string.Empty));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Inspect(CliContext context)
    {
        var directory = new Argument<string>("directory") { Description = "The --output directory of a corpus run." };
        var documents = new Option<int>("--documents") { Description = "Documents to print from the first shard.", DefaultValueFactory = _ => 2 };
        var tokens = new Option<int>("--tokens") { Description = "Token ids to print from the first sequence.", DefaultValueFactory = _ => 32 };
        var json = CommandOptions.Json();
        var command = new Command("inspect", "Verify a run's shards (document JSONL.zst, Megatron .bin/.idx, packed sequences) and print documents and tokens from them.")
        {
            directory, documents, tokens, json,
        };
        command.SetAction(parse =>
        {
            var root = context.ResolvePath(parse.GetValue(directory)!);
            if (!Directory.Exists(root))
            {
                throw new InputException("directory not found", parse.GetValue(directory));
            }

            var report = CorpusInspector.Inspect(root, parse.GetValue(documents), parse.GetValue(tokens));
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(report, SecForgeJson.Indented));
            }
            else
            {
                foreach (var line in report.Lines)
                {
                    context.Output.WriteLine(line);
                }
            }

            return report.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Top(Dictionary<string, long> drops) =>
        drops.Count == 0 ? "-" : string.Join(", ", drops.OrderByDescending(d => d.Value).Take(3).Select(d => $"{d.Key} {N(d.Value)}"));

    private sealed record ExtractedPage(string Path, string Text, string? Failure);
}
