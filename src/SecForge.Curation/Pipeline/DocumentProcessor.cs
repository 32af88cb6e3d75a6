using System.Diagnostics;
using SecForge.Curation.Dedup;
using SecForge.Curation.Extraction;
using SecForge.Curation.Quality;
using SecForge.Curation.Relevance;
using SecForge.Curation.Scrub;
using SecForge.Curation.Sources;
using SecForge.Curation.Steps;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// Stage 1 for batches of records: extraction, then the ordered list of <see cref="CurationStep"/>s the config turns
/// on (lexicon, language, classifier, quality, scrub, decontamination), then the dedup signatures. Every step counts
/// documents and bytes in and out and the reason for each drop; a step that works in batches (the classifier) gets
/// the documents that reach it together. Built once per run from the config; thread-safe.
/// </summary>
public sealed class DocumentProcessor
{
    private readonly CorpusConfig _config;
    private readonly HtmlExtractor _extractor;
    private readonly MinHasher? _minHasher;

    public DocumentProcessor(CorpusConfig config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _extractor = new HtmlExtractor(new ExtractionOptions
        {
            TimeBudget = TimeSpan.FromSeconds(config.Extract.TimeBudgetSeconds),
            IncludeTables = config.Extract.IncludeTables,
            IncludeTitle = config.Extract.IncludeTitle,
        });
        Steps = BuildSteps(config);
        StageNames = [ExtractStage, .. Steps.Select(s => s.Name)];
        if (config.Dedup.Minhash.Enabled)
        {
            _minHasher = new MinHasher(config.Dedup.Minhash.Ngram, config.Dedup.Minhash.Bands, config.Dedup.Minhash.Rows, config.Seed);
        }
    }

    /// <summary>The name of the extraction stage, which turns records into documents before the steps.</summary>
    public const string ExtractStage = "extract";

    /// <summary>Counters that only time work (reading and decoding records; hashes and MinHash signatures for dedup).</summary>
    public static IReadOnlyList<string> TimedOnly { get; } = ["read", "signatures"];

    /// <summary>The steps the config turns on, in the order documents pass them.</summary>
    public IReadOnlyList<CurationStep> Steps { get; }

    /// <summary>Extraction and the steps' names, in order, as counters report them.</summary>
    public IReadOnlyList<string> StageNames { get; }

    /// <summary>Decontamination n-grams held, for the report.</summary>
    public int DecontaminationGrams => Steps.OfType<DecontaminationFilter>().FirstOrDefault()?.Grams ?? 0;

    /// <summary>
    /// The steps of <paramref name="config"/> in pipeline order. The lexicon is cheap and drops most of a web crawl,
    /// so it runs before language identification; the classifier, the most expensive, sees only what is left.
    /// </summary>
    public static IReadOnlyList<CurationStep> BuildSteps(CorpusConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var steps = new List<CurationStep>();
        if (config.Relevance.Enabled)
        {
            var lexicon = config.Relevance.Lexicon.Equals("default", StringComparison.OrdinalIgnoreCase)
                ? SecurityLexicon.Default
                : SecurityLexicon.Load(config.Resolve(config.Relevance.Lexicon), config.Relevance.ExtendDefault);
            steps.Add(new LexiconFilter(lexicon, config.Relevance.MinDistinctTerms, config.Relevance.MinTermsPerThousandWords));
        }

        if (config.Language.Enabled)
        {
            steps.Add(new LanguageFilter(config.Language.Keep, config.Language.MinConfidence, config.Language.KeepUndetermined));
        }

        if (config.Relevance.Enabled && ClassifierOf(config) is { } classifier)
        {
            steps.Add(new ClassifierFilter(classifier, config.Relevance.Threshold));
        }

        if (config.Quality.Enabled)
        {
            steps.Add(new QualityFilter(config.Quality));
        }

        if (config.Scrub.Enabled)
        {
            steps.Add(new ScrubStep(new SecretScrubber(config.Scrub.Emails, config.Scrub.Phones)));
        }

        if (config.Decontaminate.Files.Count > 0)
        {
            steps.Add(new DecontaminationFilter(new Decontaminator(config.Decontaminate.Files.Select(config.Resolve), config.Decontaminate.Ngram, config.Decontaminate.MinMatches)));
        }

        return steps;
    }

    /// <summary>A fresh set of counters, one per stage and per timed-only activity.</summary>
    public Dictionary<string, StageCounter> NewCounters() =>
        StageNames.Concat(TimedOnly).ToDictionary(n => n, n => new StageCounter(n), StringComparer.Ordinal);

    /// <summary>
    /// Takes a batch of records through extraction and every step on up to <paramref name="options"/>' threads; calls
    /// <paramref name="failed"/> for each record whose extraction failed and <paramref name="staged"/> for each kept
    /// document, both in the batch's order.
    /// </summary>
    public void ProcessBatch(
        IReadOnlyList<SourceRecord> batch,
        IReadOnlyDictionary<string, StageCounter> counters,
        ParallelOptions options,
        Action<SourceRecord, SourceFailure, string> failed,
        Action<StagedDocument> staged)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(staged);
        var documents = new CorpusDocument?[batch.Count];
        var failures = new (SourceFailure Code, string Message)?[batch.Count];
        var extract = counters[ExtractStage];
        Parallel.For(0, batch.Count, options, i => documents[i] = Extract(batch[i], extract, out failures[i]));
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                failed(batch[i], failure.Code, failure.Message);
            }
        }

        foreach (var step in Steps)
        {
            var alive = Enumerable.Range(0, documents.Length).Where(i => documents[i] is not null).ToArray();
            if (alive.Length == 0)
            {
                return;
            }

            var counter = counters[step.Name];
            var preparing = Stopwatch.GetTimestamp();
            step.PrepareBatch(alive.Select(i => documents[i]!).ToList());
            counter.Time(preparing);
            Parallel.For(0, alive.Length, options, j =>
            {
                var i = alive[j];
                if (!Run(step, documents[i]!, counter))
                {
                    documents[i] = null;
                }
            });
        }

        var signed = new StagedDocument?[documents.Length];
        var signatures = counters[TimedOnly[1]];
        Parallel.For(0, documents.Length, options, i =>
        {
            if (documents[i] is { } document)
            {
                var signing = Stopwatch.GetTimestamp();
                signed[i] = Stage(document);
                signatures.Time(signing);
            }
        });

        foreach (var document in signed)
        {
            if (document is not null)
            {
                staged(document);
            }
        }
    }

    /// <summary>A record as a document (HTML extracted, text as it is); null when it was dropped or failed.</summary>
    private CorpusDocument? Extract(SourceRecord record, StageCounter extract, out (SourceFailure, string)? failure)
    {
        failure = null;
        var started = Stopwatch.GetTimestamp();
        extract.In(record.RawBytes);
        string text;
        string? title = null;
        if (record.Content == SourceContent.Html)
        {
            var result = _extractor.Extract(record.Text!);
            extract.Time(started);
            if (!result.Succeeded)
            {
                var code = FailureCode(result.Failure!);
                extract.Drop("extract:" + code switch { SourceFailure.ExtractTimeBudget => "time_budget", SourceFailure.ExtractNesting => "nesting", _ => "failed" }, record.Url ?? record.Location);
                failure = (code, result.Failure!);
                return null;
            }

            text = result.Text;
            title = result.Title;
        }
        else
        {
            text = record.Text!.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        }

        if (text.Length < _config.Extract.MinChars)
        {
            extract.Drop("extract:too_short", record.Url ?? record.Location);
            return null;
        }

        var document = new CorpusDocument
        {
            Id = record.Id,
            Url = record.Url,
            Location = record.Location,
            Text = text,
            Title = title,
            RawBytes = record.RawBytes,
        };
        extract.Out(Bytes(document));
        return document;
    }

    private StagedDocument Stage(CorpusDocument document) => new()
    {
        Id = document.Id,
        Url = document.Url,
        Location = document.Location,
        Text = document.Text,
        Title = document.Title,
        Language = document.Language,
        LanguageConfidence = Math.Round(document.LanguageConfidence, 4),
        SecurityTerms = document.SecurityTerms,
        SecurityTermDensity = Math.Round(document.SecurityTermDensity, 2),
        Relevance = document.RelevanceScore is { } r ? Math.Round(r, 4) : null,
        Scrubbed = document.Scrubbed,
        TextHash = TextShingles.DocumentHash(document.Text),
        Bands = _minHasher is null ? null : _minHasher.BandHashes(_minHasher.Signature(document.Text)),
    };

    private static bool Run(CurationStep step, CorpusDocument document, StageCounter counter)
    {
        counter.In(Bytes(document));
        var started = Stopwatch.GetTimestamp();
        var outcome = step.Process(document);
        counter.Time(started);
        if (!outcome.Kept)
        {
            counter.Drop(outcome.Reason!, document.Url ?? document.Location);
            return false;
        }

        counter.Out(Bytes(document));
        return true;
    }

    private static RelevanceClassifier? ClassifierOf(CorpusConfig config) => config.Relevance.Classifier.ToLowerInvariant() switch
    {
        "off" or "none" or "" => null,
        "default" => RelevanceClassifier.Default,
        _ => RelevanceClassifier.Load(config.Resolve(config.Relevance.Classifier)),
    };

    private static long Bytes(CorpusDocument document) => System.Text.Encoding.UTF8.GetByteCount(document.Text);

    private static SourceFailure FailureCode(string failure) =>
        failure.Contains("time budget", StringComparison.Ordinal) ? SourceFailure.ExtractTimeBudget
        : failure.Contains("nests", StringComparison.Ordinal) ? SourceFailure.ExtractNesting
        : SourceFailure.ExtractFailed;
}
