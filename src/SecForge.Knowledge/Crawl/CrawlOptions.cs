namespace SecForge.Knowledge.Crawl;

/// <summary>How the frontier orders pages.</summary>
public enum CrawlStrategy
{
    /// <summary>Links from relevant pages first; below an irrelevant page only <see cref="CrawlOptions.IrrelevantDepth"/> more levels.</summary>
    Gated,

    /// <summary>Breadth-first, no relevance gate (the baseline the gate is measured against).</summary>
    BreadthFirst,
}

/// <summary>Settings of a crawl.</summary>
public sealed record CrawlOptions
{
    public required IReadOnlyList<string> Seeds { get; init; }

    public CrawlStrategy Strategy { get; init; } = CrawlStrategy.Gated;

    /// <summary>Pages to fetch at most (robots.txt and sitemaps not counted).</summary>
    public int MaxPages { get; init; } = 1000;

    public int MaxDepth { get; init; } = 8;

    /// <summary>Levels followed below a page judged not relevant before that branch stops.</summary>
    public int IrrelevantDepth { get; init; } = 1;

    public int Concurrency { get; init; } = 8;

    /// <summary>Requests at once to one host.</summary>
    public int PerHostConcurrency { get; init; } = 2;

    /// <summary>Pause between requests to one host (robots.txt Crawl-delay wins when longer).</summary>
    public TimeSpan PerHostDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public int Retries { get; init; } = 2;

    public int MaxRedirects { get; init; } = 5;

    public long MaxBytes { get; init; } = 5 * 1024 * 1024;

    public bool AllowPrivate { get; init; }

    /// <summary>Hosts that may be crawled; empty means the seeds' hosts.</summary>
    public IReadOnlyList<string> AllowHosts { get; init; } = [];

    /// <summary>Regular expressions on the URL; a match is not crawled.</summary>
    public IReadOnlyList<string> Deny { get; init; } = [];

    public string UserAgent { get; init; } = "SecForge/1.0 (+https://github.com/secforge; security research crawler)";

    /// <summary>The product token robots.txt groups are matched against.</summary>
    public string RobotsToken { get; init; } = "SecForge";

    /// <summary>Lexicon thresholds, as in corpus.yaml's relevance section.</summary>
    public int MinDistinctTerms { get; init; } = 3;

    public double MinTermsPerThousandWords { get; init; } = 4;

    /// <summary>Also require the MiniLM relevance classifier's probability ≥ 0.5 (about 0.1 s a page).</summary>
    public bool UseClassifier { get; init; }
}
