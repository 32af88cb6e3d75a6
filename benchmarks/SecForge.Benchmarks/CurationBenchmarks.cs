using BenchmarkDotNet.Attributes;
using SecForge.Curation.Dedup;
using SecForge.Curation.Extraction;
using SecForge.Curation.Samples;
using SecForge.Curation.Sources;
using SecForge.Curation.Tokenization;
using SecForge.Curation.Writers;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// Issue 3's single-core targets: extraction ≥ 100 pages/s on the extraction-dev pages, WARC.gz reading
/// ≥ 20,000 records/s, MinHash signatures ≥ 30 MB/s, Llama 3 tokenization ≥ 4 M tokens/s. Each method is one
/// thread; the Throughput column turns the mean into pages/s, records/s, MB/s or tokens/s.
/// </summary>
[MemoryDiagnoser]
public class CurationBenchmarks
{
    private readonly HtmlExtractor _extractor = new();
    private string[] _pages = [];
    private string[] _texts = [];
    private string _warc = "";
    private MinHasher _minHasher = null!;
    private CorpusTokenizer? _llama3;
    private readonly List<int> _ids = new(1 << 20);
    private TempDirectory _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev")
            ?? throw new InvalidOperationException("../shared/data/extraction-dev is absent (set SECFORGE_SHARED_DATA): the curation benchmarks read its pages");
        var gold = ExtractionScorer.ReadGold(Path.Combine(folder, "evaldata.json"));
        _pages = gold.Select(g => HtmlDecoder.Decode(File.ReadAllBytes(Path.Combine(folder, "html", g.File))).Text).ToArray();
        Throughput.Register(nameof(ExtractDevPages), _pages.Length, "pages");

        // Warm the extractor (first pages JIT its paths), then keep the extracted text for MinHash and tokenization.
        _texts = _pages.Select(p => _extractor.Extract(p).Text).Where(t => t.Length > 0).ToArray();
        _minHasher = new MinHasher();
        Throughput.Register(nameof(MinHashSignatures), _texts.Sum(t => (double)System.Text.Encoding.UTF8.GetByteCount(t)) / 1e6, "MB");

        _directory = new TempDirectory("secforge-bench-curation");
        _warc = Path.Combine(_directory.Path, "bench.warc.gz");
        var records = WriteWarc(_warc, 10_000);
        Throughput.Register(nameof(ReadWarcGz), records, "records");

        var tokenizerJson = Path.Combine(RepositoryPaths.NodeModules, "@lenml", "tokenizer-llama3", "models", "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            _llama3 = CorpusTokenizer.Create(tokenizerJson);
            var tokens = 0;
            foreach (var text in _texts)
            {
                tokens += _llama3.Encode(text).Count;
            }

            Throughput.Register(nameof(Llama3Tokenize), tokens, "tokens");
        }
        else
        {
            Console.Error.WriteLine($"Llama 3 tokenizer.json not found at {tokenizerJson} (npm ci in tools/): Llama3Tokenize measures nothing");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _directory.Dispose();

    /// <summary>
    /// Writes a Common Crawl style WARC.gz, each record its own gzip member: request, response and metadata per page
    /// (as Common Crawl does), cycling the sample pages. Returns the number of WARC records.
    /// </summary>
    private static int WriteWarc(string path, int pagesToWrite)
    {
        var pages = SampleCrawlGenerator.Pages();
        using var stream = File.Create(path);
        using var warc = new WarcWriter(stream);
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < pagesToWrite; i++)
        {
            var page = pages[i % pages.Count];
            var url = $"{page.Url}?n={i}";
            warc.WriteRequest($"<urn:uuid:{Guid.CreateVersion7()}>", time, url);
            warc.WriteResponse($"<urn:uuid:{Guid.CreateVersion7()}>", time, url, 200, "text/html; charset=UTF-8", System.Text.Encoding.UTF8.GetBytes(page.Html));
            warc.WriteRecord("metadata", $"<urn:uuid:{Guid.CreateVersion7()}>", time, url, "application/warc-fields", "fetchTimeMs: 120\r\n"u8);
        }

        return 3 * pagesToWrite;
    }

    [Benchmark(Description = "extract 300 dev pages")]
    public int ExtractDevPages()
    {
        var chars = 0;
        foreach (var page in _pages)
        {
            chars += _extractor.Extract(page).Text.Length;
        }

        return chars;
    }

    [Benchmark(Description = "read WARC.gz (30,000 records)")]
    public long ReadWarcGz()
    {
        long bytes = 0;
        foreach (var record in WarcReader.Read(_warc, new SourceOptions()))
        {
            bytes += record.RawBytes;
        }

        return bytes;
    }

    [Benchmark(Description = "MinHash 14x8 of dev texts")]
    public uint MinHashSignatures()
    {
        uint x = 0;
        foreach (var text in _texts)
        {
            x ^= _minHasher.Signature(text)[0];
        }

        return x;
    }

    [Benchmark(Description = "Llama 3 tokenize dev texts")]
    public int Llama3Tokenize()
    {
        if (_llama3 is null)
        {
            return 0;
        }

        var count = 0;
        foreach (var text in _texts)
        {
            _ids.Clear();
            _llama3.Encode(text, _ids);
            count += _ids.Count;
        }

        return count;
    }
}
