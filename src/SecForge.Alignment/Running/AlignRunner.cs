using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SecForge.Alignment.Data;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Core.Errors;
using SecForge.Core.Progress;
using SecForge.Core.Running;

namespace SecForge.Alignment.Running;

/// <summary>
/// Aligns a dataset: every record is read in order, its exchanges triaged, rewritten and verified, and its decision
/// appended to the run's journal chunk by chunk, so a killed run resumes after the last complete line. At the end the
/// outputs are rebuilt from the input and the journal (<see cref="AlignOutputs"/>): the aligned dataset in the
/// input's container and schema, chat.jsonl, decisions.jsonl, rejected.jsonl, stats.json and report.html.
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

        using var run = RunDirectory.Open(_options.OutputDirectory, Manifest(input), Path.Combine(".work", "journal.jsonl"));
        run.RemoveStaleTemporaries(".work");
        foreach (var connection in _options.Connections)
        {
            await connection.PreflightAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        RunLoopSummary summary;
        await using (var journal = await RunJournal.OpenAsync<AlignDecision>(JournalPath, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // Records are decided in order, so the journal is a prefix of the input.
            var done = journal.ExistingEntries;
            var loop = new RunLoop<List<DatasetRecord>, AlignDecision[]>
            {
                Task = "align",
                Unit = "pairs",
                AlreadyDone = done,
                Units = decisions => decisions.Length,
                Failures = decisions => decisions.Count(d => d.Action is AlignAction.Rejected or AlignAction.Error),
            };
            summary = await loop.RunAsync(
                Chunks(input, done, cancellationToken),
                async (chunk, ct) => await ProcessChunkAsync(chunk, input, ct).ConfigureAwait(false),
                async (decisions, ct) =>
                {
                    foreach (var decision in decisions)
                    {
                        await journal.AppendAsync(decision, ct).ConfigureAwait(false);
                    }
                },
                progress,
                cancellationToken).ConfigureAwait(false);
        }

        var outputs = new AlignOutputs(_options, input, JournalPath, AlignedPath);
        return await outputs.WriteAsync(watch, summary.Completed, cancellationToken).ConfigureAwait(false);
    }

    private RunManifest Manifest(string input) => new()
    {
        Kind = "align",
        Seed = _options.Seed,
        Settings = new JsonObject
        {
            ["input"] = input,
            ["bytes"] = new FileInfo(input).Length,
            ["format"] = DatasetFormats.Name(_options.Format),
            ["fields"] = _options.Fields.ToString(),
            ["triage"] = _options.Triage.Name,
            ["rewriter"] = _options.Rewriter.Name,
            ["similarity"] = _options.Verifier.SimilarityMeasure.Name,
            ["similarity_threshold"] = _options.Verifier.SimilarityThreshold.ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>The records not yet journalled, in chunks.</summary>
    private async IAsyncEnumerable<List<DatasetRecord>> Chunks(string input, long done, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shape = new DatasetShape { Container = DatasetFormats.ContainerOf(input) };
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
                yield return chunk;
                chunk = new List<DatasetRecord>(_options.ChunkSize);
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task<AlignDecision[]> ProcessChunkAsync(List<DatasetRecord> chunk, string input, CancellationToken cancellationToken)
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
        return decisions;
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
            var unreadable = new Rejection(RejectionCode.Unreadable, error ?? "unreadable record");
            return new AlignDecision { Index = record.Index, Line = record.Line, Id = id, Action = AlignAction.Error, Reason = unreadable.Detail, Rejections = [unreadable] };
        }

        var replacements = new List<Replacement>();
        var rejections = new List<Rejection>();
        TriageResult? worst = null;
        var action = AlignAction.Kept;
        double? retention = null, similarity = null;
        foreach (var exchange in exchanges)
        {
            var triage = await _options.Triage.TriageAsync(exchange.Prompt, exchange.Response, cancellationToken).ConfigureAwait(false);
            if (triage.Error is not null)
            {
                rejections.Add(new Rejection(RejectionCode.TriageFailed, triage.Error));
                continue;
            }

            if (worst is null || triage.Class > worst.Class)
            {
                worst = triage;
            }

            if (triage.Class == TriageClass.Benign)
            {
                continue;
            }

            var outcome = await _options.Rewriter.RewriteAsync(exchange.Prompt, exchange.Response, triage, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is null)
            {
                rejections.Add(outcome.Failure ?? new Rejection(RejectionCode.ContractViolation, "no rewrite"));
                continue;
            }

            var check = triage.Class == TriageClass.Harmful
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
                rejections.AddRange(check.Failures);
                continue;
            }

            replacements.Add(Replacement.Of(exchange, outcome.Response));
            if (action != AlignAction.Refused)
            {
                action = triage.Class == TriageClass.Harmful ? AlignAction.Refused : AlignAction.Rewritten;
            }
        }

        if (rejections.Count > 0)
        {
            action = AlignAction.Rejected;
        }

        return new AlignDecision
        {
            Index = record.Index,
            Line = record.Line,
            Id = id,
            Triage = worst?.Class,
            Category = worst?.Harm,
            Confidence = worst?.Confidence,
            TriagedBy = worst?.Source,
            Action = action,
            Reason = rejections.Count > 0 ? string.Join(" | ", rejections) : worst?.Reason ?? "no assistant reply",
            Rejections = rejections.Count > 0 ? rejections : null,
            Exchanges = exchanges.Count,
            EntityRetention = retention,
            Similarity = similarity,
            Replacements = action == AlignAction.Rejected ? null : replacements,
        };
    }
}

/// <summary>A before/after example for the report.</summary>
public sealed record AlignSample(long Index, AlignDecision Decision, string Before, string? After);
