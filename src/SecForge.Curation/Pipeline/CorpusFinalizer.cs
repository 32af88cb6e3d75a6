using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Core.Progress;
using SecForge.Curation.Dedup;
using SecForge.Curation.Tokenization;
using SecForge.Curation.Writers;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// The corpus run's second phase: sums the shards' stage-1 stats, reads their work shards in shard order on one
/// thread for corpus-wide deduplication (so the first of a group wins, the same way every time), tokenizes on every
/// core, and writes the document shards, the Megatron and packed token files, stats.json, timing.json and the report,
/// each under a temporary name until complete. Holds the phase's state in one place.
/// </summary>
internal sealed class CorpusFinalizer : IDisposable
{
    private const int BatchSize = 256;
    private static readonly int[] LengthBins = [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000];
    private static readonly int[] TokenBins = [128, 256, 512, 1024, 2048, 4096, 8192, 16384];

    private readonly CorpusConfig _config;
    private readonly string _output;
    private readonly IReadOnlyList<string> _stageNames;
    private readonly CorpusStats _stats;
    private readonly StageCounter _dedup = new("dedup");
    private readonly long[] _lengths = new long[LengthBins.Length + 1];
    private readonly long[] _tokenCounts = new long[TokenBins.Length + 1];
    private CorpusDeduplicator _deduplicator = null!;
    private CorpusTokenizer? _tokenizer;
    private DocumentShardWriter? _documents;
    private MegatronIndexedDatasetWriter? _megatron;
    private PackedTokenWriter? _packed;

    public CorpusFinalizer(CorpusConfig config, string output, string version, string fingerprint, IReadOnlyList<string> stageNames)
    {
        _config = config;
        _output = output;
        _stageNames = stageNames;
        _stats = new CorpusStats { Version = version, ConfigFingerprint = fingerprint, Seed = config.Seed, SequenceLength = config.Tokenize.SequenceLength };
    }

    /// <summary>How long it took, after <see cref="RunAsync"/>.</summary>
    public CorpusTiming? Timing { get; private set; }

    private int Workers => _config.Workers > 0 ? _config.Workers : Environment.ProcessorCount;

    public async Task<CorpusStats> RunAsync(IReadOnlyList<ShardStats> markers, IReadOnlyList<string> workShards, double stage1Seconds, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        _stats.Shards = markers.Count;
        var stageSeconds = SumStageOne(markers);
        _deduplicator = new CorpusDeduplicator(_config.Dedup, _config.Extract.MinChars);
        _tokenizer = _config.Tokenize.Enabled ? CorpusTokenizer.Create(ResolveTokenizer(_config.Tokenize.Tokenizer), _config.Tokenize.EndOfText) : null;
        _documents = new DocumentShardWriter(Path.Combine(_output, "documents"), _config.Output.DocumentsPerShard);
        _megatron = _tokenizer is not null && _config.Output.Megatron ? new MegatronIndexedDatasetWriter(Path.Combine(_output, "tokens", "corpus_text_document"), _tokenizer.VocabularySize) : null;
        _packed = _tokenizer is not null && _config.Output.Packed ? new PackedTokenWriter(Path.Combine(_output, "tokens", $"packed-{_config.Tokenize.SequenceLength}.sfpack"), _config.Tokenize.SequenceLength, _tokenizer.EndOfText) : null;
        {
            var staged = markers.Sum(m => m.DocumentsOut);
            long processed = 0;
            var batch = new List<StagedDocument>(BatchSize);
            foreach (var path in workShards)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var document in ReadStaged(path))
                {
                    batch.Add(document);
                    if (batch.Count == BatchSize)
                    {
                        processed += WriteBatch(batch);
                        progress?.Report(new ProgressUpdate("corpus dedup and write", processed, staged, "documents", Detail: $"{_stats.Documents:N0} kept"));
                    }
                }
            }

            processed += WriteBatch(batch);
            progress?.Report(new ProgressUpdate("corpus dedup and write", processed, staged, "documents", Detail: $"{_stats.Documents:N0} kept"));
            _documents.Complete();
            _megatron?.Complete();
            _packed?.Complete();
            Describe();
        }

        // Timings and memory differ between runs: they go to timing.json, so every other output of a rerun is byte-identical.
        Timing = new CorpusTiming(
            Math.Round(stage1Seconds, 3),
            Math.Round(watch.Elapsed.TotalSeconds, 3),
            stage1Seconds > 0 ? Math.Round(_stats.RawBytes / 1e6 / stage1Seconds, 2) : 0,
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            Workers)
        {
            StageSeconds = DocumentProcessor.TimedOnly.Take(1).Concat(_stageNames).Concat(DocumentProcessor.TimedOnly.Skip(1))
                .Where(stageSeconds.ContainsKey)
                .ToDictionary(n => n, n => Math.Round(stageSeconds[n], 2), StringComparer.Ordinal),
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "timing.json"), JsonSerializer.Serialize(Timing, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "stats.json"), JsonSerializer.Serialize(_stats, SecForgeJson.Indented), cancellationToken).ConfigureAwait(false);
        await Reporting.ReportWriter.WriteAllAsync(CorpusReport.Build(_stats, _config), _output, "report", cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(_output, "_SUCCESS"), $"{_stats.Documents} documents, {_stats.Tokens} tokens\n", cancellationToken).ConfigureAwait(false);
        return _stats;
    }

    /// <summary>Closes the writers; one not completed leaves no file behind under its final name.</summary>
    public void Dispose()
    {
        _documents?.Dispose();
        _megatron?.Dispose();
        _packed?.Dispose();
    }

    /// <summary>Adds up the shards' stage-1 numbers; returns the thread seconds per stage.</summary>
    private Dictionary<string, double> SumStageOne(IReadOnlyList<ShardStats> markers)
    {
        var stages = _stageNames.ToDictionary(n => n, n => new StageCounter(n), StringComparer.Ordinal);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var marker in markers)
        {
            _stats.Merge(marker, failureExamples: 50);
            foreach (var stage in marker.Stages.Where(s => stages.ContainsKey(s.Name)))
            {
                stages[stage.Name].Add(stage);
            }

            foreach (var (stage, value) in marker.StageSeconds)
            {
                seconds[stage] = seconds.GetValueOrDefault(stage) + value;
            }
        }

        _stats.Stages.AddRange(_stageNames.Select(n => stages[n].Snapshot()).Where(s => s.DocumentsIn > 0));
        return seconds;
    }

    /// <summary>Deduplicates a batch in order, tokenizes what is kept on every core, writes it; returns the batch size.</summary>
    private int WriteBatch(List<StagedDocument> batch)
    {
        var kept = new List<(StagedDocument Document, string Text)>(batch.Count);
        foreach (var document in batch)
        {
            _dedup.In(Encoding.UTF8.GetByteCount(document.Text));
            var text = document.Text;
            var reason = _deduplicator.Check(document.TextHash, document.Url, document.Bands, ref text);
            if (reason is not null)
            {
                _dedup.Drop(reason, document.Url ?? document.Location);
                continue;
            }

            _dedup.Out(Encoding.UTF8.GetByteCount(text));
            kept.Add((document, text));
        }

        var tokens = new List<int>[kept.Count];
        if (_tokenizer is { } tokenizer)
        {
            Parallel.For(0, kept.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i =>
            {
                var ids = new List<int>(kept[i].Text.Length / 3);
                tokenizer.Encode(kept[i].Text, ids);
                ids.Add(tokenizer.EndOfText);
                tokens[i] = ids;
            });
        }

        for (var i = 0; i < kept.Count; i++)
        {
            Write(kept[i].Document, kept[i].Text, tokens[i]);
        }

        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private void Write(StagedDocument document, string text, List<int>? ids)
    {
        var count = ids?.Count ?? 0;
        _documents!.Write(new CorpusRecord
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
        if (ids is not null)
        {
            var span = CollectionsMarshal.AsSpan(ids);
            _megatron?.Add(span);
            _packed?.Add(span);
        }

        _stats.Documents++;
        _stats.Tokens += count;
        _lengths[Bin(LengthBins, text.Length)]++;
        _tokenCounts[Bin(TokenBins, count)]++;
    }

    /// <summary>Fills in what the written corpus is: dedup numbers, tokenizer, histograms, top domains, output files.</summary>
    private void Describe()
    {
        _stats.Stages.Add(_dedup.Snapshot());
        _stats.ParagraphsRemoved = _deduplicator.ParagraphsRemoved;
        _stats.ParagraphBloomFalsePositiveRate = _deduplicator.ParagraphFilter?.FalsePositiveRate ?? 0;
        _stats.ParagraphBloomMb = (_deduplicator.ParagraphFilter?.Bytes ?? 0) / (1024.0 * 1024.0);
        _stats.Tokenizer = _tokenizer?.Name is { } name ? (File.Exists(name) ? Path.GetFileName(name) : name) : "off";
        _stats.PackedSequences = _packed?.Sequences ?? 0;
        _stats.TokensLeftOver = _packed?.TokensLeftOver ?? 0;
        _stats.LengthHistogram = Histogram(LengthBins, _lengths);
        _stats.TokenHistogram = Histogram(TokenBins, _tokenCounts);
        _stats.Domains = _stats.Domains.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Take(50).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        _stats.Outputs = _documents!.Files.Select(f => Path.GetRelativePath(_output, f))
            .Concat(_megatron is null ? [] : ["tokens/corpus_text_document.bin", "tokens/corpus_text_document.idx"])
            .Concat(_packed is null ? [] : [$"tokens/packed-{_config.Tokenize.SequenceLength}.sfpack"])
            .Select(p => p.Replace('\\', '/'))
            .ToList();
    }

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

    private static Dictionary<string, long> Histogram(int[] bins, long[] counts)
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
}
