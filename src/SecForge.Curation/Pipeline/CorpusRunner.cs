using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Core.Running;
using SecForge.Curation.Sources;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// Runs the corpus pipeline in two phases. Stage 1 takes each input shard through extraction, language,
/// relevance, quality, scrubbing and decontamination on every core, writing a work shard and a completion marker;
/// finished shards are skipped on a rerun, and a run split over ranks does only its shards. Finalising reads the
/// work shards in shard order on one thread for corpus-wide deduplication (so the first of a group wins, the same
/// way every time), tokenizes on every core, and writes the document shards, the Megatron and packed token files,
/// stats.json and the report, each under a temporary name until complete. The same inputs and config give
/// byte-identical outputs, however often the run was interrupted.
/// </summary>
public sealed class CorpusRunner
{
    private const int BatchSize = 64;
    private readonly CorpusConfig _config;
    private readonly string _output;
    private readonly string _fingerprint;

    public CorpusRunner(CorpusConfig config, string outputDirectory)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _output = Path.GetFullPath(outputDirectory);
        _fingerprint = Manifest(config).Fingerprint;
    }

    /// <summary>Stage-1 work shards.</summary>
    public string WorkDirectory => Path.Combine(_output, "work", "stage1");

    /// <summary>The run's stats after <see cref="RunAsync"/> finalised.</summary>
    public CorpusStats? Stats { get; private set; }

    /// <summary>How long it took, after <see cref="RunAsync"/> finalised.</summary>
    public CorpusTiming? Timing { get; private set; }

    /// <summary>
    /// Runs stage 1 for the shards of <paramref name="rank"/> of <paramref name="worldSize"/>, then, when this is
    /// the whole run (world size 1), finalises. Returns true when the corpus was finalised.
    /// </summary>
    public async Task<bool> RunAsync(int rank = 0, int worldSize = 1, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
        {
            throw new InputException($"--rank must be between 0 and {worldSize - 1}");
        }

        // Ranks of a distributed run work in one directory at once, each under its own lock; the final run holds the
        // whole directory and clears what killed runs left half-written.
        var scope = worldSize > 1 ? $"rank-{rank:D5}" : null;
        using var run = RunDirectory.Open(_output, Manifest(_config), new RunDirectoryOptions { WorkPaths = [Path.Combine("work", "stage1")], Scope = scope });
        Directory.CreateDirectory(WorkDirectory);
        if (scope is null)
        {
            run.RemoveStaleTemporaries(Path.Combine("work", "stage1"), "documents", "tokens");
        }

        var shards = ShardPlanner.Plan(_config);
        if (shards.Count == 0)
        {
            throw new InputException("the inputs hold no files SecForge can read (.warc[.gz], .jsonl[.gz|.zst], .parquet, .html, .md, .txt, .pdf)");
        }

        var processor = new DocumentProcessor(_config);
        var watch = Stopwatch.StartNew();
        var mine = shards.Where(s => s.Index % worldSize == rank).ToList();
        var todo = mine.Where(s => !File.Exists(MarkerPath(s.Index))).ToList();
        var done = mine.Count - todo.Count;
        var workers = _config.Workers > 0 ? _config.Workers : Environment.ProcessorCount;
        long documents = 0;
        progress?.Report(new ProgressUpdate("corpus stage 1", done, mine.Count, "shards", Detail: done > 0 ? $"{done} already done" : null));
        await Parallel.ForEachAsync(
            todo,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            (shard, ct) =>
            {
                var stats = ProcessShard(shard, processor, workers, n => Interlocked.Add(ref documents, n), ct);
                var completed = Interlocked.Increment(ref done);
                progress?.Report(new ProgressUpdate("corpus stage 1", completed, mine.Count, "shards", stats.RecordsFailed, $"{Interlocked.Read(ref documents):N0} records"));
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        var stage1Seconds = watch.Elapsed.TotalSeconds;
        if (worldSize > 1)
        {
            return false;
        }

        Stats = await FinalizeAsync(shards, processor.StageNames, progress, stage1Seconds, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string MarkerPath(int shard) => Path.Combine(WorkDirectory, $"shard-{shard:D5}.done.json");

    private string WorkShardPath(int shard) => Path.Combine(WorkDirectory, $"shard-{shard:D5}.jsonl.zst");

    private ShardStats ProcessShard(InputShard shard, DocumentProcessor processor, int workers, Action<long> onRecords, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var counters = processor.NewCounters();
        var read = counters[DocumentProcessor.TimedOnly[0]];
        var stats = new ShardStats { Shard = shard.Index, Input = shard.Describe(), ConfigFingerprint = _fingerprint };
        var root = shard.Format is InputFormat.Html or InputFormat.Text or InputFormat.Pdf
            ? _config.Inputs.Select(i => _config.Resolve(i.Path!)).FirstOrDefault(p => Directory.Exists(p) && shard.Files[0].StartsWith(p, StringComparison.Ordinal))
            : null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        var workPath = WorkShardPath(shard.Index);
        var temporary = AtomicFile.TemporaryNameFor(workPath);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new ZstdSharp.CompressionStream(file, 3, leaveOpen: true))
        {
            void Process(List<SourceRecord> batch)
            {
                processor.ProcessBatch(batch, counters, options, (record, code, message) => stats.AddFailure(record.Location, code, message), document => stats.AddStaged(document, writer));
                onRecords(batch.Count);
                batch.Clear();
            }

            var batch = new List<SourceRecord>(BatchSize);
            using var records = ShardPlanner.Read(shard, root, cancellationToken).GetEnumerator();
            while (true)
            {
                var reading = Stopwatch.GetTimestamp();
                var more = records.MoveNext();
                read.Time(reading);
                if (!more)
                {
                    break;
                }

                if (stats.AddRead(records.Current))
                {
                    batch.Add(records.Current);
                    if (batch.Count == BatchSize)
                    {
                        Process(batch);
                    }
                }
            }

            Process(batch);
            writer.Flush();
        }

        File.Move(temporary, workPath, overwrite: true);
        stats.Stages = processor.StageNames.Select(n => counters[n].Snapshot()).ToList();
        stats.StageSeconds = counters.ToDictionary(c => c.Key, c => Math.Round(c.Value.Elapsed.TotalSeconds, 3), StringComparer.Ordinal);
        stats.Seconds = Math.Round(watch.Elapsed.TotalSeconds, 3);
        AtomicFile.Write(MarkerPath(shard.Index), stream => JsonSerializer.Serialize(stream, stats, SecForgeJson.Indented));
        return stats;
    }

    private async Task<CorpusStats> FinalizeAsync(IReadOnlyList<InputShard> shards, IReadOnlyList<string> stageNames, IProgress<ProgressUpdate>? progress, double stage1Seconds, CancellationToken cancellationToken)
    {
        var markers = new List<ShardStats>(shards.Count);
        foreach (var shard in shards)
        {
            markers.Add(JsonSerializer.Deserialize<ShardStats>(await File.ReadAllTextAsync(MarkerPath(shard.Index), cancellationToken).ConfigureAwait(false), SecForgeJson.Compact)!);
        }

        using var finalizer = new CorpusFinalizer(_config, _output, Version, _fingerprint, stageNames);
        var result = await finalizer.RunAsync(markers, shards.Select(s => WorkShardPath(s.Index)).ToList(), stage1Seconds, progress, cancellationToken).ConfigureAwait(false);
        Timing = finalizer.Timing;
        return result;
    }

    /// <summary>
    /// The run's manifest: the whole config and SecForge's version (outputs are byte-identical only under both), so
    /// stage-1 shards of another config are never reused.
    /// </summary>
    public static RunManifest Manifest(CorpusConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Each section of the config is a setting of its own, so a refusal names the section that changed.
        var settings = (JsonObject)JsonSerializer.SerializeToNode(config, SecForgeJson.Compact)!;
        settings["version"] = Version;
        return new RunManifest { Kind = "corpus", Seed = config.Seed, Settings = settings };
    }

    internal static string Version => typeof(CorpusRunner).Assembly.GetName().Version?.ToString() ?? "0";
}
