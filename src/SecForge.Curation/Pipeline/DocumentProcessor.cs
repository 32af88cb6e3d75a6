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
/// Stage 1 for one record: extract, language, relevance (lexicon, then the classifier in batches), quality,
/// scrub, decontamination and the dedup signatures. Built once per run from the config; thread-safe.
/// </summary>
public sealed class DocumentProcessor
{
    private readonly CorpusConfig _config;
    private readonly HtmlExtractor _extractor;
    private readonly LanguageFilter? _language;
    private readonly RelevanceFilter? _relevance;
    private readonly QualityFilter? _quality;
    private readonly ScrubStep? _scrub;
    private readonly Decontaminator? _decontaminator;
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
        if (config.Language.Enabled)
        {
            _language = new LanguageFilter(config.Language.Keep, config.Language.MinConfidence, config.Language.KeepUndetermined);
        }

        if (config.Relevance.Enabled)
        {
            var lexicon = config.Relevance.Lexicon.Equals("default", StringComparison.OrdinalIgnoreCase)
                ? SecurityLexicon.Default
                : SecurityLexicon.Load(config.Resolve(config.Relevance.Lexicon), config.Relevance.ExtendDefault);
            var classifier = config.Relevance.Classifier.ToLowerInvariant() switch
            {
                "off" or "none" or "" => null,
                "default" => RelevanceClassifier.Default,
                _ => RelevanceClassifier.Load(config.Resolve(config.Relevance.Classifier)),
            };
            _relevance = new RelevanceFilter(lexicon, config.Relevance.MinDistinctTerms, config.Relevance.MinTermsPerThousandWords, classifier, config.Relevance.Threshold);
        }

        if (config.Quality.Enabled)
        {
            _quality = new QualityFilter(config.Quality);
        }

        if (config.Scrub.Enabled)
        {
            _scrub = new ScrubStep(new SecretScrubber(config.Scrub.Emails, config.Scrub.Phones));
        }

        if (config.Decontaminate.Files.Count > 0)
        {
            _decontaminator = new Decontaminator(config.Decontaminate.Files.Select(config.Resolve), config.Decontaminate.Ngram, config.Decontaminate.MinMatches);
        }

        if (config.Dedup.Minhash.Enabled)
        {
            _minHasher = new MinHasher(config.Dedup.Minhash.Ngram, config.Dedup.Minhash.Bands, config.Dedup.Minhash.Rows, config.Seed);
        }
    }

    /// <summary>The stage names, in order, as counters report them.</summary>
    public static IReadOnlyList<string> StageNames { get; } = ["extract", "lexicon", "language", "classifier", "quality", "scrub", "decontaminate"];

    /// <summary>Counters that only time work (reading and decoding records; hashes and MinHash signatures for dedup).</summary>
    public static IReadOnlyList<string> TimedOnly { get; } = ["read", "signatures"];

    /// <summary>True when the relevance classifier runs (documents are scored in batches).</summary>
    public bool UsesClassifier => _relevance?.Classifier is not null;

    /// <summary>Decontamination n-grams held, for the report.</summary>
    public int DecontaminationGrams => _decontaminator?.Grams ?? 0;

    /// <summary>
    /// Extraction and the stages before the classifier; returns null when the document was dropped, with
    /// <paramref name="failure"/> set when extraction itself failed (a failed record, not a filtered one).
    /// </summary>
    public CorpusDocument? Begin(SourceRecord record, IReadOnlyDictionary<string, StageCounter> counters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(counters);
        failure = null;
        var extract = counters["extract"];
        var started = Stopwatch.GetTimestamp();
        extract.In(record.RawBytes);
        string text;
        string? title = null;
        if (record.Content == SourceContent.Html)
        {
            var result = _extractor.Extract(record.Text!);
            started = extract.Time(started);
            if (!result.Succeeded)
            {
                extract.Drop("extract:" + Reason(result.Failure!), record.Url ?? record.Location);
                failure = result.Failure;
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

        // The lexicon is cheap and drops most of a web crawl, so it runs before language identification.
        if (_relevance is not null)
        {
            var lexicon = counters["lexicon"];
            lexicon.In(Bytes(document));
            var passes = _relevance.PassesLexicon(document);
            lexicon.Time(started);
            if (!passes)
            {
                lexicon.Drop("relevance:lexicon", Example(document));
                return null;
            }

            lexicon.Out(Bytes(document));
        }

        if (!Run(_language, document, counters["language"]))
        {
            return null;
        }

        return document;
    }

    /// <summary>Scores the documents that passed the lexicon, in one embedding batch.</summary>
    public void ScoreRelevance(IReadOnlyList<CorpusDocument> documents) => _relevance?.ScoreBatch(documents);

    /// <summary>The rest of stage 1 after relevance scoring; returns the staged document or null when dropped.</summary>
    public StagedDocument? Finish(CorpusDocument document, IReadOnlyDictionary<string, StageCounter> counters)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(counters);
        if (_relevance?.Classifier is not null)
        {
            var classifier = counters["classifier"];
            classifier.In(Bytes(document));
            if (document.RelevanceScore is { } score && score < _config.Relevance.Threshold)
            {
                classifier.Drop("relevance:classifier", Example(document));
                return null;
            }

            classifier.Out(Bytes(document));
        }

        if (!Run(_quality, document, counters["quality"]) || !Run(_scrub, document, counters["scrub"]))
        {
            return null;
        }

        if (_decontaminator is not null)
        {
            var counter = counters["decontaminate"];
            counter.In(Bytes(document));
            var started = Stopwatch.GetTimestamp();
            var contaminated = _decontaminator.IsContaminated(document.Text);
            counter.Time(started);
            if (contaminated)
            {
                counter.Drop("decontaminate:benchmark_overlap", Example(document));
                return null;
            }

            counter.Out(Bytes(document));
        }

        var signing = Stopwatch.GetTimestamp();
        var staged = new StagedDocument
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
        counters["signatures"].Time(signing);
        return staged;
    }

    private static bool Run(CurationStep? step, CorpusDocument document, StageCounter counter)
    {
        if (step is null)
        {
            return true;
        }

        counter.In(Bytes(document));
        var started = Stopwatch.GetTimestamp();
        var outcome = step.Process(document);
        counter.Time(started);
        if (!outcome.Kept)
        {
            counter.Drop(outcome.Reason!, Example(document));
            return false;
        }

        counter.Out(Bytes(document));
        return true;
    }

    private static string Example(CorpusDocument document) => document.Url ?? document.Location;

    private static long Bytes(CorpusDocument document) => System.Text.Encoding.UTF8.GetByteCount(document.Text);

    private static string Reason(string failure) =>
        failure.Contains("time budget", StringComparison.Ordinal) ? "time_budget"
        : failure.Contains("nests", StringComparison.Ordinal) ? "nesting"
        : "failed";
}
