using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Alignment.Data;
using SecForge.Alignment.Reports;
using SecForge.Alignment.Triage;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Reporting;

namespace SecForge.Alignment.Running;

/// <summary>
/// Aligns a dataset: every record is read in order, its exchanges triaged, rewritten and verified, and its decision
/// appended to a journal in chunks (flushed), so a killed run resumes after the last complete line. At the end the
/// outputs are rebuilt from the input and the journal: the aligned dataset in the input's container and schema,
/// chat.jsonl, decisions.jsonl, rejected.jsonl, stats.json and report.html.
/// </summary>
public sealed class AlignRunner(AlignOptions options)
{
    private readonly AlignOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    public string JournalPath => Path.Combine(_options.OutputDirectory, ".work", "journal.jsonl");

    public string AlignedPath => Path.Combine(_options.OutputDirectory, "aligned" + DatasetFormats.Extension(DatasetFormats.ContainerOf(_options.Input)));

    public async Task<AlignStats> RunAsync(IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var input = Path.GetFullPath(_options.Input);
        if (!File.Exists(input))
        {
            throw new InputException("input file not found", input);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(JournalPath)!);
        await CheckFingerprintAsync(input, cancellationToken).ConfigureAwait(false);
        JsonlWriter.TruncateTornTail(JournalPath);
        var done = File.Exists(JournalPath) ? File.ReadLines(JournalPath).LongCount() : 0;
        var shape = new DatasetShape { Container = DatasetFormats.ContainerOf(input) };
        long completed = 0, failed = 0;
        progress?.Report(new ProgressUpdate("align", done, null, "pairs", Detail: done > 0 ? $"{done:N0} already done" : null));
        await using (var journal = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            var chunk = new List<DatasetRecord>(_options.ChunkSize);
            await foreach (var record in DatasetReader.ReadAsync(input, shape, cancellationToken).ConfigureAwait(false))
            {
                if (record.Index < done)
                {
                    continue;
                }

                chunk.Add(record);
                if (chunk.Count == _options.ChunkSize)
                {
                    failed += await ProcessChunkAsync(chunk, input, journal, cancellationToken).ConfigureAwait(false);
                    completed += chunk.Count;
                    chunk.Clear();
                    progress?.Report(new ProgressUpdate("align", done + completed, null, "pairs", failed));
                }
            }

            if (chunk.Count > 0)
            {
                failed += await ProcessChunkAsync(chunk, input, journal, cancellationToken).ConfigureAwait(false);
                completed += chunk.Count;
                progress?.Report(new ProgressUpdate("align", done + completed, done + completed, "pairs", failed));
            }
        }

        return await FinishAsync(input, watch, completed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> ProcessChunkAsync(List<DatasetRecord> chunk, string input, FileStream journal, CancellationToken cancellationToken)
    {
        // Each record's exchanges are found once; the built-in triage then embeds the unsure requests of the whole
        // chunk in batches before the records are decided.
        var exchanges = chunk.Select(record => Extract(record, input)).ToArray();
        if (_options.Triage is BuiltinTriage builtin)
        {
            builtin.Prepare(exchanges.Where(e => e.Exchanges is not null).SelectMany(e => e.Exchanges!).Select(e => (e.Prompt, e.Response)).ToList(), cancellationToken);
        }

        if (chunk[0].Index == 0 && exchanges.All(e => e.Exchanges is null))
        {
            // Not one record of the first chunk has the layout asked for: a wrong --format or --field, not bad records.
            throw new InputException($"none of the first {chunk.Count:N0} records can be read as {DatasetFormats.Name(_options.Format)} ({exchanges[0].Error}); check --format and --field", input);
        }

        var decisions = new AlignDecision[chunk.Count];
        await Parallel.ForAsync(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken }, async (i, ct) =>
        {
            decisions[i] = await DecideAsync(chunk[i], exchanges[i].Exchanges, exchanges[i].Error, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var decision in decisions)
        {
            text.Append(JsonSerializer.Serialize(decision, SecForgeJson.Compact)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await journal.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await journal.FlushAsync(cancellationToken).ConfigureAwait(false);
        return decisions.Count(d => d.Action is AlignActions.Rejected or AlignActions.Error);
    }

    /// <summary>The exchanges of a record, or why it cannot be aligned (unreadable, a field missing).</summary>
    private (List<Exchange>? Exchanges, string? Error) Extract(DatasetRecord record, string input)
    {
        if (record.Error is not null || record.Data is null)
        {
            return (null, $"{Path.GetFileName(input)}:{record.Line}: {record.Error}");
        }

        try
        {
            return (Conversations.Extract(record.Data, _options.Format, _options.Fields, input, record.Line), null);
        }
        catch (InputException exception)
        {
            return (null, exception.Message.Replace(input, Path.GetFileName(input), StringComparison.Ordinal));
        }
    }

    /// <summary>Triage, rewrite and verification of one record's exchanges.</summary>
    internal async Task<AlignDecision> DecideAsync(DatasetRecord record, List<Exchange>? exchanges, string? error, CancellationToken cancellationToken)
    {
        var id = record.Data?["id"] is JsonValue idValue ? idValue.ToString() : null;
        if (exchanges is null)
        {
            return new AlignDecision { Index = record.Index, Line = record.Line, Id = id, Action = AlignActions.Error, Reason = error ?? "unreadable record" };
        }

        var replacements = new List<Replacement>();
        var reasons = new List<string>();
        TriageResult? worst = null;
        string action = AlignActions.Kept;
        double? retention = null, similarity = null;
        foreach (var exchange in exchanges)
        {
            var triage = await _options.Triage.TriageAsync(exchange.Prompt, exchange.Response, cancellationToken).ConfigureAwait(false);
            if (triage.Error is not null)
            {
                action = AlignActions.Rejected;
                reasons.Add("triage-failed: " + triage.Error);
                continue;
            }

            if (worst is null || TriageLabels.Severity(triage.Label) > TriageLabels.Severity(worst.Label))
            {
                worst = triage;
            }

            if (triage.Label == TriageLabels.Benign)
            {
                continue;
            }

            var outcome = await _options.Rewriter.RewriteAsync(exchange.Prompt, exchange.Response, triage, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is null)
            {
                action = AlignActions.Rejected;
                reasons.Add(outcome.ContractError ?? "contract-violation: no rewrite");
                continue;
            }

            var check = triage.Label == TriageLabels.Harmful
                ? _options.Verifier.VerifyRefusal(exchange.Response, outcome.Response)
                : _options.Verifier.VerifyDualUse(exchange.Response, outcome.Response, cancellationToken);
            if (check.EntityRetention is { } r)
            {
                retention = Math.Min(retention ?? 1, r);
            }

            if (check.Similarity is { } s)
            {
                similarity = Math.Min(similarity ?? 1, s);
            }

            if (!check.Passed)
            {
                action = AlignActions.Rejected;
                reasons.Add(string.Join("; ", check.Failures));
                continue;
            }

            replacements.Add(Replacement.Of(exchange, outcome.Response));
            if (action != AlignActions.Rejected)
            {
                action = triage.Label == TriageLabels.Harmful ? AlignActions.Refused : action == AlignActions.Refused ? action : AlignActions.Rewritten;
            }
        }

        var reason = reasons.Count > 0 ? string.Join(" | ", reasons) : worst?.Reason ?? "no assistant reply";
        return new AlignDecision
        {
            Index = record.Index,
            Line = record.Line,
            Id = id,
            Triage = worst?.Label ?? string.Empty,
            Category = worst?.Category ?? string.Empty,
            Confidence = worst?.Confidence,
            TriagedBy = worst?.Source,
            Action = action,
            Reason = reason,
            Exchanges = exchanges.Count,
            EntityRetention = retention,
            Similarity = similarity,
            Replacements = action == AlignActions.Rejected ? null : replacements,
        };
    }

    private async Task<AlignStats> FinishAsync(string input, Stopwatch watch, long processed, CancellationToken cancellationToken)
    {
        var directory = _options.OutputDirectory;
        var shape = new DatasetShape { Container = DatasetFormats.ContainerOf(input) };
        var actions = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var classes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var categories = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var samples = new List<AlignSample>();
        long records = 0, exchanges = 0;
        double retentionSum = 0, similaritySum = 0;
        long retentionCount = 0, similarityCount = 0;
        double? minRetention = null;
        var random = new Random(_options.Seed);
        var seenByAction = new Dictionary<string, int>(StringComparer.Ordinal);

        using var journal = File.ReadLines(JournalPath).GetEnumerator();
        DatasetWriter? aligned = null;
        var chatPath = Path.Combine(directory, "chat.jsonl");
        var decisionsPath = Path.Combine(directory, "decisions.jsonl");
        var rejectedPath = Path.Combine(directory, "rejected.jsonl");
        var (chatTemporary, decisionsTemporary, rejectedTemporary) = (AtomicFile.TemporaryNameFor(Path.GetFullPath(chatPath)), AtomicFile.TemporaryNameFor(Path.GetFullPath(decisionsPath)), AtomicFile.TemporaryNameFor(Path.GetFullPath(rejectedPath)));
        await using var chat = new StreamWriter(chatTemporary, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using var decisions = new StreamWriter(decisionsTemporary, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using var rejected = new StreamWriter(rejectedTemporary, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        try
        {
            await foreach (var record in DatasetReader.ReadAsync(input, shape, cancellationToken).ConfigureAwait(false))
            {
                aligned ??= new DatasetWriter(AlignedPath, shape);
                if (!journal.MoveNext())
                {
                    throw new InvalidOperationException($"the journal {JournalPath} ends before record {record.Index}; rerun to finish");
                }

                var decision = JsonSerializer.Deserialize<AlignDecision>(journal.Current, SecForgeJson.Compact)!;
                if (decision.Index != record.Index)
                {
                    throw new InvalidOperationException($"the journal {JournalPath} is out of step with the input at record {record.Index}; remove the output folder and run again");
                }

                records++;
                exchanges += decision.Exchanges;
                actions[decision.Action] = actions.GetValueOrDefault(decision.Action) + 1;
                if (decision.Triage.Length > 0)
                {
                    classes[decision.Triage] = classes.GetValueOrDefault(decision.Triage) + 1;
                    var perCategory = categories.TryGetValue(decision.Category, out var existing) ? existing : categories[decision.Category] = new SortedDictionary<string, long>(StringComparer.Ordinal);
                    perCategory[decision.Action] = perCategory.GetValueOrDefault(decision.Action) + 1;
                }

                if (decision.Action == AlignActions.Rejected)
                {
                    foreach (var part in decision.Reason.Split(" | "))
                    {
                        var code = part.Split(':', 2)[0].Trim();
                        reasons[code] = reasons.GetValueOrDefault(code) + 1;
                    }
                }

                if (decision.Triage == TriageLabels.DualUse && decision.EntityRetention is { } retention && decision.Action == AlignActions.Rewritten)
                {
                    retentionSum += retention;
                    retentionCount++;
                    minRetention = Math.Min(minRetention ?? 1, retention);
                }

                if (decision.Similarity is { } similarity && decision.Action == AlignActions.Rewritten)
                {
                    similaritySum += similarity;
                    similarityCount++;
                }

                await decisions.WriteLineAsync(JsonSerializer.Serialize(decision with { Replacements = null }, SecForgeJson.Compact)).ConfigureAwait(false);
                if (decision.Action is AlignActions.Rejected or AlignActions.Error)
                {
                    if (record.Data is not null)
                    {
                        await rejected.WriteLineAsync(record.Data.ToJsonString(SecForgeJson.Compact)).ConfigureAwait(false);
                    }

                    Sample(decision, record.Data, null);
                    continue;
                }

                var replacements = (decision.Replacements ?? []).Select(r => (r.ToExchange(), r.Response)).ToList();
                var output = replacements.Count == 0 ? record.Data! : Conversations.Apply(record.Data!, replacements);
                if (record.Native is not null)
                {
                    Conversations.ApplyNative(record.Native, replacements);
                }

                aligned.Write(output, record.Native);
                await chat.WriteLineAsync(new JsonObject { ["messages"] = Conversations.ToChat(output, _options.Format, _options.Fields) }.ToJsonString(SecForgeJson.Compact)).ConfigureAwait(false);
                Sample(decision, record.Data, output);
            }

            if (journal.MoveNext())
            {
                throw new InvalidOperationException($"the journal {JournalPath} has more records than the input; was the input changed?");
            }

            aligned ??= new DatasetWriter(AlignedPath, shape);
            await aligned.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await chat.FlushAsync(cancellationToken).ConfigureAwait(false);
            await decisions.FlushAsync(cancellationToken).ConfigureAwait(false);
            await rejected.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            aligned?.Dispose();
        }

        chat.Close();
        decisions.Close();
        rejected.Close();
        File.Move(chatTemporary, chatPath, overwrite: true);
        File.Move(decisionsTemporary, decisionsPath, overwrite: true);
        File.Move(rejectedTemporary, rejectedPath, overwrite: true);

        var elapsed = watch.Elapsed.TotalSeconds;
        var stats = new AlignStats
        {
            Input = input,
            Format = DatasetFormats.Name(_options.Format),
            Triage = _options.Triage.Name,
            Rewriter = _options.Rewriter.Name,
            Similarity = _options.Verifier.SimilarityMeasure.Name,
            SimilarityThreshold = _options.Verifier.SimilarityThreshold,
            Records = records,
            Exchanges = exchanges,
            Actions = actions,
            TriageClasses = classes,
            Categories = categories,
            RejectionReasons = reasons,
            MinEntityRetention = minRetention,
            MeanEntityRetention = retentionCount == 0 ? null : Math.Round(retentionSum / retentionCount, 4),
            MeanSimilarity = similarityCount == 0 ? null : Math.Round(similaritySum / similarityCount, 4),
            Written = aligned.Count,
            ElapsedSeconds = Math.Round(elapsed, 3),
            RecordsPerSecond = Math.Round(processed / Math.Max(elapsed, 1e-6), 1),
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "stats.json"), JsonSerializer.Serialize(stats with { ElapsedSeconds = 0, RecordsPerSecond = 0 }, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAllAsync(AlignReport.Build(stats, samples.OrderBy(s => s.Index).ToList()), directory, "report", cancellationToken).ConfigureAwait(false);
        return stats;

        void Sample(AlignDecision decision, JsonObject? before, JsonObject? after)
        {
            if (decision.Action == AlignActions.Kept || before is null)
            {
                return;
            }

            // Reservoir sampling per action, seeded: the report shows the same examples on every rerun.
            var seen = seenByAction[decision.Action] = seenByAction.GetValueOrDefault(decision.Action) + 1;
            var quota = Math.Max(1, _options.ReportSamples / 3);
            var mine = samples.Where(s => s.Decision.Action == decision.Action).ToList();
            var sample = new AlignSample(decision.Index, decision, Show(before), after is null ? null : Show(after));
            if (mine.Count < quota)
            {
                samples.Add(sample);
            }
            else if (random.Next(seen) < quota)
            {
                samples.Remove(mine[random.Next(mine.Count)]);
                samples.Add(sample);
            }
        }

        string Show(JsonObject data) => string.Join("\n\n", Conversations.ToChat(data, _options.Format, _options.Fields).OfType<JsonObject>().Select(m => $"[{m["role"]}]\n{m["content"]}"));
    }

    private async Task CheckFingerprintAsync(string input, CancellationToken cancellationToken)
    {
        var info = new FileInfo(input);
        var fingerprint = new JsonObject
        {
            ["input"] = input,
            ["bytes"] = info.Length,
            ["format"] = DatasetFormats.Name(_options.Format),
            ["fields"] = _options.Fields.ToString(),
            ["triage"] = _options.Triage.Name,
            ["rewriter"] = _options.Rewriter.Name,
            ["similarity"] = _options.Verifier.SimilarityMeasure.Name,
            ["similarity_threshold"] = _options.Verifier.SimilarityThreshold.ToString(CultureInfo.InvariantCulture),
        }.ToJsonString(SecForgeJson.Indented);
        var path = Path.Combine(_options.OutputDirectory, ".work", "run.json");
        var started = File.Exists(JournalPath) && new FileInfo(JournalPath).Length > 0;
        if (File.Exists(path) && started)
        {
            var existing = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            if (existing != fingerprint)
            {
                throw new InputException($"{_options.OutputDirectory} holds a run with other settings or another input ({path}); choose a new --output to start over", path);
            }

            return;
        }

        await AtomicFile.WriteAllTextAsync(path, fingerprint, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A before/after example for the report.</summary>
public sealed record AlignSample(long Index, AlignDecision Decision, string Before, string? After);
