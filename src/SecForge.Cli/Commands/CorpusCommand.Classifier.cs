using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Randomness;
using SecForge.Core.Running;
using SecForge.Curation.Relevance;
using SecForge.Curation.Samples;
using SecForge.Models;

namespace SecForge.Cli.Commands;

internal static partial class CorpusCommand
{
    private static Command Label(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The labelling model: a spec or a name from secforge.yaml.", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "Documents to sample from: JSONL with a text field (a corpus run's documents or your own).", Required = true };
        var textField = new Option<string>("--text-field") { Description = "The JSON field holding the text.", DefaultValueFactory = _ => "text" };
        var sample = new Option<int>("--sample") { Description = "Documents to label, drawn at random (0 labels all).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample.", DefaultValueFactory = _ => 1 };
        var output = CommandOptions.Output("JSONL of labels: {\"id\", \"text\", \"label\": \"relevant\"|\"irrelevant\", \"reason\"}. Appended to; labelled ids are skipped on a rerun.");
        var command = new Command("label", "Have a model label a sample of documents as security-relevant or not (Foundation-Sec labelled 26,000 this way); the labels train the relevance classifier.")
        {
            model, input, textField, sample, seed, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var inputPath = context.ResolvePath(parse.GetValue(input)!);
            if (!File.Exists(inputPath))
            {
                throw new InputException("input not found", parse.GetValue(input));
            }

            var documents = new List<(string Id, string Text)>();
            var field = parse.GetValue(textField)!;
            await foreach (var (line, json) in JsonlReader.ReadLinesAsync(inputPath, cancellationToken).ConfigureAwait(false))
            {
                using var document = JsonDocument.Parse(json);
                if (!document.RootElement.TryGetProperty(field, out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new InputException($"field '{field}' is missing or not a string", inputPath, line, field);
                }

                var id = document.RootElement.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"line-{line}";
                documents.Add((id, text.GetString()!));
            }

            var count = parse.GetValue(sample);
            if (count > 0 && count < documents.Count)
            {
                new SplitMix64((ulong)parse.GetValue(seed)).Shuffle(documents);
                documents = documents.Take(count).ToList();
            }

            var outputPath = context.ResolvePath(parse.GetValue(output)!);
            using var claim = RunLock.Acquire(Path.GetDirectoryName(outputPath)!, "secforge corpus label", Path.GetFileName(outputPath));
            using var connection = context.Connect(parse.GetValue(model)!, context.Runtime(useCache: true));
            await connection.PreflightAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var labeler = new RelevanceLabeler(connection.Chat);
            await using var journal = await RunJournal.OpenAsync<LabelRecord>(outputPath, l => l.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var todo = documents.Where(d => !journal.Finished.Contains(d.Id)).ToList();
            long labelled = 0, relevant = 0;
            var loop = new RunLoop<(string Id, string Text), (string Text, RelevanceLabel Label)>
            {
                Task = "label",
                Unit = "documents",
                Concurrency = Math.Max(1, connection.Limiter.MaxConcurrency),
                Total = todo.Count,
                AlreadyDone = journal.Finished.Count,
                Failures = result => result.Label.Relevant is null ? 1 : 0,
            };
            var summary = await ProgressDisplay.RunAsync(context, "label", progress => loop.RunAsync(
                todo,
                async (document, ct) =>
                {
                    try
                    {
                        return (document.Text, await labeler.LabelAsync(document.Id, document.Text, ct).ConfigureAwait(false));
                    }
                    catch (ModelCallException exception)
                    {
                        return (document.Text, new RelevanceLabel(document.Id, null, null, exception.Message));
                    }
                },
                async (result, ct) =>
                {
                    var (text, label) = result;
                    if (label.Relevant is not { } isRelevant)
                    {
                        context.Error.WriteLine($"secforge: {label.Id}: no label: {label.Failure}");
                        return;
                    }

                    await journal.AppendAsync(new LabelRecord(label.Id, text, isRelevant ? "relevant" : "irrelevant", label.Reason), ct).ConfigureAwait(false);
                    Interlocked.Increment(ref labelled);
                    if (isRelevant)
                    {
                        Interlocked.Increment(ref relevant);
                    }
                },
                progress,
                cancellationToken)).ConfigureAwait(false);
            var failed = summary.Failed;
            var done = journal.Finished.Count;
            context.Output.WriteLine($"labelled {labelled:N0} documents ({relevant:N0} relevant) into {outputPath}; {done:N0} were already labelled; {failed:N0} got no usable verdict");
            return failed > 0 && labelled == 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static Command TrainClassifier(CliContext context)
    {
        var labels = new Option<string>("--labels", "-l") { Description = "Labelled JSONL: {\"text\", \"label\"} with label relevant/irrelevant (or true/false, 1/0).", Required = true };
        var output = CommandOptions.Output("Where to write the trained head (JSON); name it as relevance.classifier in corpus.yaml.");
        var heldOut = new Option<double>("--held-out") { Description = "Share of each label held out to measure precision, recall and F1.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the held-out split.", DefaultValueFactory = _ => 1 };
        var l2 = new Option<double>("--l2") { Description = "L2 regularisation strength of the logistic-regression head (on standardised embeddings).", DefaultValueFactory = _ => RelevanceClassifier.DefaultL2 };
        var json = CommandOptions.Json();
        var command = new Command("train-classifier", "Train the relevance classifier's logistic-regression head on frozen MiniLM embeddings and report precision, recall and F1 on a held-out split.")
        {
            labels, output, heldOut, seed, l2, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = context.ResolvePath(parse.GetValue(labels)!);
            var examples = await ReadLabelledAsync(path, cancellationToken).ConfigureAwait(false);
            var split = parse.GetValue(heldOut);
            if (split is < 0 or >= 1)
            {
                throw new InputException("--held-out must be in [0, 1)");
            }

            var (classifier, test, train) = await ProgressDisplay.RunAsync(context, "train", progress =>
            {
                progress.Report(new("embed and train", 0, examples.Count, "examples"));
                var result = RelevanceClassifier.Train(examples, split, parse.GetValue(seed), Path.GetFileName(path), parse.GetValue(l2), cancellationToken);
                progress.Report(new("embed and train", examples.Count, examples.Count, "examples"));
                return Task.FromResult(result);
            }).ConfigureAwait(false);
            var outputPath = context.ResolvePath(parse.GetValue(output)!);
            await classifier.SaveAsync(outputPath, cancellationToken).ConfigureAwait(false);
            var summary = new TrainingSummary(examples.Count, examples.Count(e => e.Relevant), test.Count, test.Precision, test.Recall, test.F1, test.Accuracy, train.F1, outputPath);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(summary, SecForgeJson.Indented));
            }
            else
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on {examples.Count - test.Count} of {examples.Count} examples ({summary.Relevant} relevant); held-out {test.Count}: precision {test.Precision:0.000}, recall {test.Recall:0.000}, F1 {test.F1:0.000} (training F1 {train.F1:0.000})"));
                context.Output.WriteLine($"head written to {outputPath}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command MakeSampleCrawl(CliContext context)
    {
        var output = CommandOptions.Output("The WARC.gz file to write.");
        var seed = new Option<int>("--seed") { Description = "Seed of the generated pages.", DefaultValueFactory = _ => 2025 };
        var command = new Command("make-sample-crawl", "Write SecForge's sample crawl: ~200 generated pages (security and not, hard negatives, near-duplicates, boilerplate, redirects, non-HTML) as a Common Crawl style WARC.gz.")
        {
            output, seed,
        };
        command.SetAction(parse =>
        {
            var path = context.ResolvePath(parse.GetValue(output)!);
            var kinds = SampleCrawlGenerator.Write(path, parse.GetValue(seed));
            context.Output.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes): {string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"))} pages");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads labelled examples; a line without a text or a recognisable label names the file, line and field.</summary>
    internal static async Task<List<(string Text, bool Relevant)>> ReadLabelledAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new InputException("labels file not found", path);
        }

        var examples = new List<(string, bool)>();
        await foreach (var (line, json) in JsonlReader.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException exception)
            {
                throw new InputException($"not valid JSON: {exception.Message}", path, line);
            }

            using (document)
            {
                var root = document.RootElement;
                if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString()))
                {
                    throw new InputException("missing or empty", path, line, "text");
                }

                if (!root.TryGetProperty("label", out var label))
                {
                    throw new InputException("missing", path, line, "label");
                }

                bool? relevant = label.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => label.GetDouble() >= 0.5,
                    JsonValueKind.String => label.GetString()!.ToLowerInvariant() switch
                    {
                        "relevant" or "security" or "positive" or "true" or "1" or "yes" => true,
                        "irrelevant" or "not_relevant" or "other" or "negative" or "false" or "0" or "no" => false,
                        _ => null,
                    },
                    _ => null,
                };
                if (relevant is null)
                {
                    throw new InputException($"'{label}' is not a label (use relevant/irrelevant, true/false or 1/0)", path, line, "label");
                }

                examples.Add((text.GetString()!, relevant.Value));
            }
        }

        return examples;
    }

    private sealed record LabelRecord(string Id, string Text, string Label, string? Reason);

    private sealed record TrainingSummary(int Examples, int Relevant, int HeldOut, double Precision, double Recall, double F1, double Accuracy, double TrainingF1, string Head);
}
