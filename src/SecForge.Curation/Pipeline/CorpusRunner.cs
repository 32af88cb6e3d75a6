using System.Diagnostics;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.Hashing;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Curation.Dedup;
using SecForge.Curation.Sources;
using SecForge.Curation.Tokenization;
using SecForge.Curation.Writers;

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
        _fingerprint = Fingerprint(config);
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

        Directory.CreateDirectory(WorkDirectory);
        CheckConfigMatches();
        RemoveStaleTemporaries();
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

        Stats = await FinalizeAsync(shards, progress, stage1Seconds, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes half-written files a killed run left behind (they never carry a final name).</summary>
    private void RemoveStaleTemporaries()
    {
        foreach (var directory in new[] { WorkDirectory, Path.Combine(_output, "documents"), Path.Combine(_output, "tokens"), _output })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
            {
                File.Delete(file);
            }
        }
    }

    private string MarkerPath(int shard) => Path.Combine(WorkDirectory, $"shard-{shard:D5}.done.json");

    private string WorkShardPath(int shard) => Path.Combine(WorkDirectory, $"shard-{shard:D5}.jsonl.zst");

    private void CheckConfigMatches()
    {
        var runFile = Path.Combine(_output, "work", "run.json");
        if (File.Exists(runFile))
        {
            var previous = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(runFile), SecForgeJson.Compact);
            if (previous?.ConfigFingerprint != _fingerprint)
            {
                throw new InputException("this output directory holds a run with a different configuration (or SecForge version); use another --output or delete it", runFile);
            }

            return;
        }

        AtomicFile.Write(runFile, stream => JsonSerializer.Serialize(stream, new RunInfo(_fingerprint, Version, _config.Seed), SecForgeJson.Indented));
    }

    private ShardStats ProcessShard(InputShard shard, DocumentProcessor processor, int workers, Action<long> onRecords, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var counters = DocumentProcessor.StageNames.Concat(DocumentProcessor.TimedOnly).ToDictionary(n => n, n => new StageCounter(n), StringComparer.Ordinal);
        var read = counters["read"];
        var stats = new ShardStats { Shard = shard.Index, Input = shard.Describe(), ConfigFingerprint = _fingerprint };
        var root = shard.Format is InputFormat.Html or InputFormat.Text or InputFormat.Pdf
            ? _config.Inputs.Select(i => _config.Resolve(i.Path!)).FirstOrDefault(p => Directory.Exists(p) && shard.Files[0].StartsWith(p, StringComparison.Ordinal))
            : null;
        var workPath = WorkShardPath(shard.Index);
        var temporary = AtomicFile.TemporaryNameFor(workPath);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new ZstdSharp.CompressionStream(file, 3, leaveOpen: true))
        {
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

                var record = records.Current;
                stats.RecordsRead++;
                stats.RawBytes += record.RawBytes;
                if (record.Failure is not null)
                {
                    AddFailure(stats, record.Location, record.Failure);
                    continue;
                }

                if (record.Skipped is not null)
                {
                    var key = record.Skipped.StartsWith("not HTML", StringComparison.Ordinal) ? "not HTML" : record.Skipped;
                    stats.Skipped[key] = stats.Skipped.GetValueOrDefault(key) + 1;
                    continue;
                }

                batch.Add(record);
                if (batch.Count == BatchSize)
                {
                    ProcessBatch(batch, processor, counters, stats, writer, workers, cancellationToken);
                    onRecords(batch.Count);
                    batch.Clear();
                }
            }

            ProcessBatch(batch, processor, counters, stats, writer, workers, cancellationToken);
            onRecords(batch.Count);
            writer.Flush();
        }

        File.Move(temporary, workPath, overwrite: true);
        stats.Stages = DocumentProcessor.StageNames.Select(n => counters[n].Snapshot()).ToList();
        stats.StageSeconds = counters.ToDictionary(c => c.Key, c => Math.Round(c.Value.Elapsed.TotalSeconds, 3), StringComparer.Ordinal);
        stats.Seconds = Math.Round(watch.Elapsed.TotalSeconds, 3);
        AtomicFile.Write(MarkerPath(shard.Index), stream => JsonSerializer.Serialize(stream, stats, SecForgeJson.Indented));
        return stats;
    }

    private static void AddFailure(ShardStats stats, string location, string reason)
    {
        stats.RecordsFailed++;
        var key = FailureKey(reason);
        stats.Failures[key] = stats.Failures.GetValueOrDefault(key) + 1;
        if (stats.FailureExamples.Count < 20)
        {
            stats.FailureExamples.Add(new FailureExample(location, reason));
        }
    }

    private static void ProcessBatch(List<SourceRecord> batch, DocumentProcessor processor, Dictionary<string, StageCounter> counters, ShardStats stats, Stream writer, int workers, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var begun = new Steps.CorpusDocument?[batch.Count];
        var failures = new string?[batch.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, batch.Count, options, i => begun[i] = processor.Begin(batch[i], counters, out failures[i]));
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                AddFailure(stats, batch[i].Location, failure);
            }
        }

        if (processor.UsesClassifier)
        {
            var scoring = Stopwatch.GetTimestamp();
            processor.ScoreRelevance(begun.Where(d => d is not null).ToList()!);
            counters["classifier"].Time(scoring);
        }

        var staged = new StagedDocument?[batch.Count];
        Parallel.For(0, batch.Count, options, i =>
        {
            if (begun[i] is { } document)
            {
                staged[i] = processor.Finish(document, counters);
            }
        });

        foreach (var document in staged)
        {
            if (document is null)
            {
                continue;
            }

            JsonSerializer.Serialize(writer, document, SecForgeJson.Compact);
            writer.WriteByte((byte)'\n');
            stats.DocumentsOut++;
            var language = document.Language ?? "und";
            stats.Languages[language] = stats.Languages.GetValueOrDefault(language) + 1;
            if (document.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                stats.Domains[uri.Host] = stats.Domains.GetValueOrDefault(uri.Host) + 1;
            }

            foreach (var (kind, count) in document.Scrubbed ?? [])
            {
                stats.Scrubbed[kind] = stats.Scrubbed.GetValueOrDefault(kind) + count;
            }
        }
    }

    private async Task<CorpusStats> FinalizeAsync(IReadOnlyList<InputShard> shards, IProgress<ProgressUpdate>? progress, double stage1Seconds, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var stats = new CorpusStats
        {
            Version = Version,
            ConfigFingerprint = _fingerprint,
            Seed = _config.Seed,
            Shards = shards.Count,
            SequenceLength = _config.Tokenize.SequenceLength,
        };
        var stage1 = DocumentProcessor.StageNames.ToDictionary(n => n, n => new StageCounter(n), StringComparer.Ordinal);
        var stageSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        long staged = 0;
        foreach (var shard in shards)
        {
            var marker = JsonSerializer.Deserialize<ShardStats>(await File.ReadAllTextAsync(MarkerPath(shard.Index), cancellationToken).ConfigureAwait(false), SecForgeJson.Compact)!;
            stats.RecordsRead += marker.RecordsRead;
            stats.RawBytes += marker.RawBytes;
            stats.RecordsFailed += marker.RecordsFailed;
            Merge(stats.Failures, marker.Failures);
            Merge(stats.Skipped, marker.Skipped);
            Merge(stats.Languages, marker.Languages);
            Merge(stats.Domains, marker.Domains);
            Merge(stats.Scrubbed, marker.Scrubbed);
            stats.FailureExamples.AddRange(marker.FailureExamples.Take(Math.Max(0, 50 - stats.FailureExamples.Count)));
            foreach (var stage in marker.Stages)
            {
                stage1[stage.Name].Add(stage);
            }

            staged += marker.DocumentsOut;
            foreach (var (stage, seconds) in marker.StageSeconds)
            {
                stageSeconds[stage] = stageSeconds.GetValueOrDefault(stage) + seconds;
            }
        }

        stats.Stages.AddRange(stage1.Values.Select(c => c.Snapshot()).Where(s => s.DocumentsIn > 0).OrderBy(s => DocumentProcessor.StageNames.ToList().IndexOf(s.Name)));
        var dedup = new StageCounter("dedup");
        var deduplicator = new CorpusDeduplicator(_config.Dedup, _config.Extract.MinChars);
        var tokenizer = _config.Tokenize.Enabled ? CorpusTokenizer.Create(ResolveTokenizer(_config.Tokenize.Tokenizer), _config.Tokenize.EndOfText) : null;
        var lengths = new long[LengthBins.Length + 1];
        var tokenCounts = new long[TokenBins.Length + 1];
        using var documents = new DocumentShardWriter(Path.Combine(_output, "documents"), _config.Output.DocumentsPerShard);
        using var megatron = tokenizer is not null && _config.Output.Megatron ? new MegatronIndexedDatasetWriter(Path.Combine(_output, "tokens", "corpus_text_document"), tokenizer.VocabularySize) : null;
        using var packed = tokenizer is not null && _config.Output.Packed ? new PackedTokenWriter(Path.Combine(_output, "tokens", $"packed-{_config.Tokenize.SequenceLength}.sfpack"), _config.Tokenize.SequenceLength, tokenizer.EndOfText) : null;
        long processed = 0;
        var batch = new List<StagedDocument>(256);
        foreach (var shard in shards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var document in ReadStaged(WorkShardPath(shard.Index)))
            {
                batch.Add(document);
                if (batch.Count == 256)
                {
                    WriteBatch(batch, deduplicator, dedup, tokenizer, documents, megatron, packed, lengths, tokenCounts, stats);
                    processed += batch.Count;
                    progress?.Report(new ProgressUpdate("corpus dedup and write", processed, staged, "documents", Detail: $"{stats.Documents:N0} kept"));
                    batch.Clear();
                }
            }
        }

        WriteBatch(batch, deduplicator, dedup, tokenizer, documents, megatron, packed, lengths, tokenCounts, stats);
        processed += batch.Count;
        progress?.Report(new ProgressUpdate("corpus dedup and write", processed, staged, "documents", Detail: $"{stats.Documents:N0} kept"));
        documents.Complete();
        megatron?.Complete();
        packed?.Complete();

        stats.Stages.Add(dedup.Snapshot());
        stats.ParagraphsRemoved = deduplicator.ParagraphsRemoved;
        stats.ParagraphBloomFalsePositiveRate = deduplicator.ParagraphFilter?.FalsePositiveRate ?? 0;
        stats.ParagraphBloomMb = (deduplicator.ParagraphFilter?.Bytes ?? 0) / (1024.0 * 1024.0);
        stats.Tokenizer = tokenizer?.Name is { } name ? (File.Exists(name) ? Path.GetFileName(name) : name) : "off";
        stats.PackedSequences = packed?.Sequences ?? 0;
        stats.TokensLeftOver = packed?.TokensLeftOver ?? 0;
        stats.LengthHistogram = Histogram(LengthBins, lengths, "chars");
        stats.TokenHistogram = Histogram(TokenBins, tokenCounts, "tokens");
        stats.Domains = stats.Domains.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Take(50).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        stats.Outputs = documents.Files.Select(f => Path.GetRelativePath(_output, f))
            .Concat(megatron is null ? [] : ["tokens/corpus_text_document.bin", "tokens/corpus_text_document.idx"])
            .Concat(packed is null ? [] : [$"tokens/packed-{_config.Tokenize.SequenceLength}.sfpack"])
            .Select(p => p.Replace('\\', '/'))
            .ToList();

        // Timings and memory differ between runs: they go to timing.json, so every other output of a rerun is byte-identical.
        Timing = new CorpusTiming(
            Math.Round(stage1Seconds, 3),
            Math.Round(watch.Elapsed.TotalSeconds, 3),
            stage1Seconds > 0 ? Math.Round(stats.RawBytes / 1e6 / stage1Seconds, 2) : 0,
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            _config.Workers > 0 ? _config.Workers : Environment.ProcessorCount)
        {
            StageSeconds = DocumentProcessor.TimedOnly.Take(1).Concat(DocumentProcessor.StageNames).Concat(DocumentProcessor.TimedOnly.Skip(1))
                .Where(stageSeconds.ContainsKey)
                .ToDictionary(n => n, n => Math.Round(stageSeconds[n], 2), StringComparer.Ordinal),
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "timing.json"), JsonSerializer.Serialize(Timing, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "stats.json"), JsonSerializer.Serialize(stats, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await Reporting.ReportWriter.WriteAllAsync(CorpusReport.Build(stats, _config), _output, "report", cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "_SUCCESS"), $"{stats.Documents} documents, {stats.Tokens} tokens\n", cancellationToken).ConfigureAwait(false);
        return stats;
    }

    private void WriteBatch(
        List<StagedDocument> batch,
        CorpusDeduplicator deduplicator,
        StageCounter dedup,
        CorpusTokenizer? tokenizer,
        DocumentShardWriter documents,
        MegatronIndexedDatasetWriter? megatron,
        PackedTokenWriter? packed,
        long[] lengths,
        long[] tokenCounts,
        CorpusStats stats)
    {
        var kept = new List<(StagedDocument Document, string Text)>(batch.Count);
        foreach (var document in batch)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(document.Text);
            dedup.In(bytes);
            var text = document.Text;
            var reason = deduplicator.Check(document.TextHash, document.Url, document.Bands, ref text);
            if (reason is not null)
            {
                dedup.Drop(reason, document.Url ?? document.Location);
                continue;
            }

            dedup.Out(System.Text.Encoding.UTF8.GetByteCount(text));
            kept.Add((document, text));
        }

        var tokens = new List<int>[kept.Count];
        if (tokenizer is not null)
        {
            Parallel.For(0, kept.Count, new ParallelOptions { MaxDegreeOfParallelism = _config.Workers > 0 ? _config.Workers : Environment.ProcessorCount }, i =>
            {
                var ids = new List<int>(kept[i].Text.Length / 3);
                tokenizer.Encode(kept[i].Text, ids);
                ids.Add(tokenizer.EndOfText);
                tokens[i] = ids;
            });
        }

        for (var i = 0; i < kept.Count; i++)
        {
            var (document, text) = kept[i];
            var count = tokens[i]?.Count ?? 0;
            documents.Write(new CorpusRecord
            {
                Id = document.Id,
                Url = document.Url,
                Text = text,
                Title = document.Title,
                Language = document.Language,
                SecurityTerms = document.SecurityTerms,
                Relevance = document.Relevance,
                Tokens = count,
                Source = document.Location,
            });
            if (tokens[i] is { } ids)
            {
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids);
                megatron?.Add(span);
                packed?.Add(span);
            }

            stats.Documents++;
            stats.Tokens += count;
            lengths[Bin(LengthBins, text.Length)]++;
            tokenCounts[Bin(TokenBins, count)]++;
        }
    }

    private static readonly int[] LengthBins = [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000];
    private static readonly int[] TokenBins = [128, 256, 512, 1024, 2048, 4096, 8192, 16384];

    private static int Bin(int[] bins, int value)
    {
        for (var i = 0; i < bins.Length; i++)
        {
            if (value < bins[i])
            {
                return i;
            }
        }

        return bins.Length;
    }

    private static Dictionary<string, long> Histogram(int[] bins, long[] counts, string unit)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i <= bins.Length; i++)
        {
            var label = i == 0 ? $"< {bins[0]}" : i == bins.Length ? $"≥ {bins[^1]}" : $"{bins[i - 1]}–{bins[i]}";
            result[label] = counts[i];
        }

        return result;
    }

    private string ResolveTokenizer(string spec) => spec is "o200k_base" or "cl100k_base" ? spec : _config.Resolve(spec);

    private static IEnumerable<StagedDocument> ReadStaged(string path)
    {
        using var reader = new StreamReader(CompressedFile.OpenRead(path));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize<StagedDocument>(line, SecForgeJson.Compact)!;
            }
        }
    }

    private static void Merge(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = into.GetValueOrDefault(key) + value;
        }
    }

    private static string FailureKey(string reason)
    {
        // Group failures by their kind, not their numbers ("the record holds 104,857,600 bytes…").
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var head = colon > 0 && colon < 60 ? reason[..colon] : reason;
        return new string(head.Where(c => !char.IsDigit(c) && c != ',').ToArray()).Replace("  ", " ", StringComparison.Ordinal).Trim();
    }

    /// <summary>A hash of the config and SecForge's version: stage-1 shards from another config are not reused.</summary>
    public static string Fingerprint(CorpusConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = JsonSerializer.Serialize(config, SecForgeJson.Compact);
        return ContentHash.Sha256Hex(Version + "\n" + json)[..16];
    }

    private static string Version => typeof(CorpusRunner).Assembly.GetName().Version?.ToString() ?? "0";

    private sealed record RunInfo(string ConfigFingerprint, string Version, int Seed);
}
