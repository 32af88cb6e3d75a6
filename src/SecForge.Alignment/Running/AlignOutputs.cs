using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Alignment.Data;
using SecForge.Alignment.Reports;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Reporting;

namespace SecForge.Alignment.Running;

/// <summary>
/// Rebuilds an alignment run's outputs from its input and journal, in one pass in input order: the aligned dataset in
/// the input's container and schema, chat.jsonl, decisions.jsonl and rejected.jsonl (each under a temporary name
/// until complete), then stats.json and the report.
/// </summary>
internal sealed class AlignOutputs(AlignOptions options, string input, string journalPath, string alignedPath)
{
    public async Task<AlignStats> WriteAsync(Stopwatch watch, long processed, CancellationToken cancellationToken)
    {
        var directory = options.OutputDirectory;
        var shape = new DatasetShape { Container = DatasetFormats.ContainerOf(input) };
        var tally = new AlignTally(options.ReportSamples, options.Seed);
        using var journal = File.ReadLines(journalPath).GetEnumerator();
        using var chat = new PendingFile(Path.Combine(directory, "chat.jsonl"));
        using var decisions = new PendingFile(Path.Combine(directory, "decisions.jsonl"));
        using var rejected = new PendingFile(Path.Combine(directory, "rejected.jsonl"));
        DatasetWriter? aligned = null;
        try
        {
            await foreach (var record in DatasetReader.ReadAsync(input, shape, cancellationToken).ConfigureAwait(false))
            {
                aligned ??= new DatasetWriter(alignedPath, shape);
                var decision = NextDecision(journal, record.Index);
                tally.Add(decision);
                await decisions.WriteLineAsync(JsonSerializer.Serialize(decision with { Replacements = null }, SecForgeJson.Compact)).ConfigureAwait(false);
                if (decision.Action is AlignAction.Rejected or AlignAction.Error)
                {
                    if (record.Data is not null)
                    {
                        await rejected.WriteLineAsync(record.Data.ToJsonString(SecForgeJson.Compact)).ConfigureAwait(false);
                        tally.Offer(decision, () => Show(record.Data), null);
                    }

                    continue;
                }

                var replacements = (decision.Replacements ?? []).Select(r => (r.ToExchange(), r.Response)).ToList();
                var output = replacements.Count == 0 ? record.Data! : Conversations.Apply(record.Data!, replacements);
                if (record.Native is not null)
                {
                    Conversations.ApplyNative(record.Native, replacements);
                }

                aligned.Write(output, record.Native);
                await chat.WriteLineAsync(new JsonObject { ["messages"] = Conversations.ToChat(output, options.Format, options.Fields) }.ToJsonString(SecForgeJson.Compact)).ConfigureAwait(false);
                tally.Offer(decision, () => Show(record.Data!), () => Show(output));
            }

            if (journal.MoveNext())
            {
                throw new InvalidOperationException($"the journal {journalPath} has more records than the input; was the input changed?");
            }

            aligned ??= new DatasetWriter(alignedPath, shape);
            await aligned.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            aligned?.Dispose();
        }

        chat.Commit();
        decisions.Commit();
        rejected.Commit();
        var stats = Stats(tally, aligned.Count, watch.Elapsed.TotalSeconds, processed);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "stats.json"), JsonSerializer.Serialize(stats with { ElapsedSeconds = 0, RecordsPerSecond = 0 }, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAllAsync(AlignReport.Build(stats, tally.Samples.OrderBy(s => s.Index).ToList()), directory, "report", cancellationToken).ConfigureAwait(false);
        return stats;
    }

    private AlignDecision NextDecision(IEnumerator<string> journal, long index)
    {
        if (!journal.MoveNext())
        {
            throw new InvalidOperationException($"the journal {journalPath} ends before record {index}; rerun to finish");
        }

        var decision = JsonSerializer.Deserialize<AlignDecision>(journal.Current, SecForgeJson.Compact)!;
        return decision.Index == index
            ? decision
            : throw new InvalidOperationException($"the journal {journalPath} is out of step with the input at record {index}; remove the output folder and run again");
    }

    private AlignStats Stats(AlignTally tally, long written, double elapsed, long processed) => new()
    {
        Input = input,
        Format = DatasetFormats.Name(options.Format),
        Triage = options.Triage.Name,
        Rewriter = options.Rewriter.Name,
        Similarity = options.Verifier.SimilarityMeasure.Name,
        SimilarityThreshold = options.Verifier.SimilarityThreshold,
        Records = tally.Records,
        Exchanges = tally.Exchanges,
        Actions = tally.Actions,
        TriageClasses = tally.Classes,
        Categories = tally.Categories,
        RejectionReasons = tally.RejectionCodes,
        MinEntityRetention = tally.MinRetention,
        MeanEntityRetention = tally.MeanRetention,
        MeanSimilarity = tally.MeanSimilarity,
        Written = written,
        ElapsedSeconds = Math.Round(elapsed, 3),
        RecordsPerSecond = Math.Round(processed / Math.Max(elapsed, 1e-6), 1),
    };

    private string Show(JsonObject data) => string.Join("\n\n", Conversations.ToChat(data, options.Format, options.Fields).OfType<JsonObject>().Select(m => $"[{m["role"]}]\n{m["content"]}"));

    /// <summary>A text output written under a temporary name and moved into place by <see cref="Commit"/>; deleted if never committed.</summary>
    private sealed class PendingFile : IDisposable
    {
        private readonly string _path;
        private readonly string _temporary;
        private readonly StreamWriter _writer;
        private bool _committed;

        public PendingFile(string path)
        {
            _path = path;
            _temporary = AtomicFile.TemporaryNameFor(Path.GetFullPath(path));
            _writer = new StreamWriter(_temporary, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        }

        public Task WriteLineAsync(string line) => _writer.WriteLineAsync(line);

        public void Commit()
        {
            _writer.Flush();
            _writer.Close();
            File.Move(_temporary, _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            _writer.Dispose();
            if (!_committed && File.Exists(_temporary))
            {
                File.Delete(_temporary);
            }
        }
    }
}
