using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using SecForge.Core.Running;
using SecForge.Curation.Extraction;
using SecForge.Curation.Relevance;
using SecForge.Curation.Writers;

namespace SecForge.Knowledge.Crawl;

/// <summary>Where a crawl stands.</summary>
public sealed record CrawlProgress(long Fetched, long Relevant, long Queued, long Failed, long Skipped);

/// <summary>What a crawl did: pages fetched and judged relevant (over all sessions of the crawl), and what failed or was skipped, by reason.</summary>
public sealed record CrawlSummary(long Fetched, long Relevant, long Queued, long Failed, long Skipped, IReadOnlyDictionary<string, long> Reasons, IReadOnlyList<string> WarcFiles)
{
    /// <summary>Share of fetched pages judged security-relevant.</summary>
    public double HarvestRate => Fetched == 0 ? 0 : (double)Relevant / Fetched;
}

/// <summary>
/// A polite, relevance-gated crawler that writes WARC files the corpus pipeline reads. Seeds (pages or sitemaps)
/// start a persistent frontier in the crawl directory; robots.txt (with Crawl-delay) is honoured per host; each
/// host gets a bounded number of requests at once and a pause between them; redirects are followed by hand (each
/// hop checked again); responses over the size limit or of other types are not stored; transient failures are
/// retried with backoff. Each fetched page is scored with the security lexicon (and optionally the classifier);
/// links from relevant pages are followed first, and below a page judged irrelevant only a few more levels are.
/// Every connection passes the <see cref="AddressGuard"/>. Stop it at any time: the next run continues the
/// frontier without fetching a finished page again, into a new WARC file.
/// </summary>
public sealed partial class Crawler : IDisposable
{
    private static readonly string[] HtmlTypes = ["text/html", "application/xhtml+xml"];

    private readonly CrawlOptions _options;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly HtmlExtractor _extractor = new();
    private readonly HtmlParser _parser = new();
    private readonly ConcurrentDictionary<string, Task<RobotsRules>> _robots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.Ordinal);
    private readonly Lock _hostGate = new();
    private readonly Lock _warcGate = new();
    private readonly HashSet<string> _allowedHosts;
    private readonly List<Regex> _deny;

    public Crawler(CrawlOptions options, string directory, HttpMessageHandler? handler = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        if (options.Seeds.Count == 0)
        {
            throw new ArgumentException("a crawl needs at least one seed URL", nameof(options));
        }

        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = AddressGuard.ConnectCallback(options.AllowPrivate),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(1, options.PerHostConcurrency),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
        var seedUris = options.Seeds.Select(s => CrawlUrl.Normalize(s) ?? throw new ArgumentException($"seed '{s}' is not an http(s) URL", nameof(options))).ToList();
        _allowedHosts = (options.AllowHosts.Count > 0 ? options.AllowHosts : seedUris.Select(u => u.Host)).Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        _deny = options.Deny.Select(d => new Regex(d, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
    }

    public async Task<CrawlSummary> RunAsync(IProgress<CrawlProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var manifest = new RunManifest
        {
            Kind = "crawl",
            Settings = new JsonObject
            {
                ["seeds"] = new JsonArray(_options.Seeds.Select(s => (JsonNode)s).ToArray()),
                ["strategy"] = _options.Strategy.ToString(),
                ["max_depth"] = _options.MaxDepth,
                ["irrelevant_depth"] = _options.IrrelevantDepth,
                ["allow_hosts"] = new JsonArray(_allowedHosts.Order(StringComparer.Ordinal).Select(h => (JsonNode)h).ToArray()),
                ["deny"] = new JsonArray(_options.Deny.Select(d => (JsonNode)d).ToArray()),
                ["classifier"] = _options.UseClassifier,
            },
        };
        using var run = RunDirectory.Open(_directory, manifest, "frontier.sqlite");
        using var frontier = new CrawlFrontier(run.File("frontier.sqlite"));
        var session = Directory.EnumerateFiles(run.Path, "crawl-*.warc.gz").Count();
        var warcPath = run.File(string.Create(CultureInfo.InvariantCulture, $"crawl-{session:00000}.warc.gz"));
        await using var warcFile = new FileStream(warcPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        using var warc = new WarcWriter(warcFile);
        warc.WriteInfo(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, Path.GetFileName(warcPath), _options.UserAgent);

        foreach (var seed in _options.Seeds)
        {
            var uri = CrawlUrl.Normalize(seed)!;
            if (IsSitemap(uri))
            {
                await AddSitemapAsync(uri, frontier, 0, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                frontier.Add(uri.AbsoluteUri, 0, 0, 10, null);
            }
        }

        var running = new List<Task>();
        var fetchedBefore = frontier.Count("done") + frontier.Count("failed");
        long started = 0;
        var lastReport = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                if (fetchedBefore + started >= _options.MaxPages)
                {
                    break;
                }

                FrontierEntry? entry = null;
                if (running.Count < _options.Concurrency)
                {
                    entry = frontier.Take(HostReady);
                }

                if (entry is null)
                {
                    if (running.Count == 0 && frontier.Count("queued") == 0)
                    {
                        break;
                    }

                    var wait = Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                    await Task.WhenAny(running.Append(wait)).ConfigureAwait(false);
                }
                else
                {
                    var uri = new Uri(entry.Url);
                    if (!InScope(uri, out var why))
                    {
                        frontier.Finish(entry.Url, "skipped", null, null, "out-of-scope", why);
                        continue;
                    }

                    started++;
                    Reserve(uri);
                    running.Add(ProcessAsync(entry, uri, frontier, warc, cancellationToken));
                }

                if (progress is not null && DateTimeOffset.UtcNow - lastReport > TimeSpan.FromSeconds(1))
                {
                    lastReport = DateTimeOffset.UtcNow;
                    progress.Report(new CrawlProgress(frontier.Count("done"), frontier.Relevant(), frontier.Count("queued"), frontier.Count("failed"), frontier.Count("skipped")));
                }
            }
        }
        finally
        {
            // Let pages in flight finish or stop; the frontier puts unfinished ones back in the queue next time.
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var summary = new CrawlSummary(frontier.Count("done"), frontier.Relevant(), frontier.Count("queued"), frontier.Count("failed"), frontier.Count("skipped"), frontier.Reasons(),
            Directory.EnumerateFiles(run.Path, "crawl-*.warc.gz").Order(StringComparer.Ordinal).Select(Path.GetFileName).OfType<string>().ToList());
        progress?.Report(new CrawlProgress(summary.Fetched, summary.Relevant, summary.Queued, summary.Failed, summary.Skipped));
        return summary;
    }

    public void Dispose() => _http.Dispose();

    private async Task ProcessAsync(FrontierEntry entry, Uri uri, CrawlFrontier frontier, WarcWriter warc, CancellationToken cancellationToken)
    {
        try
        {
            var robots = await RobotsAsync(uri, cancellationToken).ConfigureAwait(false);
            if (!robots.Allows(uri))
            {
                frontier.Finish(entry.Url, "skipped", null, null, "robots.txt", "disallowed by robots.txt");
                return;
            }

            var page = await FetchAsync(uri, cancellationToken).ConfigureAwait(false);
            bool? relevant = null;
            var links = new List<Uri>();
            double score = 0;
            if (page.Status is >= 200 and < 300 && IsHtml(page.ContentType))
            {
                var html = HtmlDecoder.Decode(page.Body, Charset(page.ContentType)).Text;
                var text = _extractor.Extract(html, cancellationToken).Text;
                (relevant, score) = Judge(text, cancellationToken);
                links = Links(html, page.FinalUri);
            }

            lock (_warcGate)
            {
                Write(warc, page, entry, relevant, score);
            }

            if (page.FinalUri.AbsoluteUri != entry.Url && frontier.Add(page.FinalUri.AbsoluteUri, entry.Depth, entry.Misses, 0, entry.Url))
            {
                frontier.Finish(page.FinalUri.AbsoluteUri, "done", page.Status, relevant, null, "reached by redirect from " + entry.Url);
            }

            frontier.Finish(entry.Url, page.Status is >= 200 and < 300 ? "done" : "failed", page.Status, relevant, page.Status is >= 200 and < 300 ? null : string.Create(CultureInfo.InvariantCulture, $"http-{page.Status}"), page.FinalUri.AbsoluteUri != entry.Url ? "redirected to " + page.FinalUri : null);
            Enqueue(frontier, entry, links, relevant ?? false, score);
        }
        catch (CrawlFailure failure)
        {
            frontier.Finish(entry.Url, failure.Skip ? "skipped" : "failed", failure.Status, null, failure.Code, failure.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Left as 'fetching': queued again when the crawl resumes.
        }
        finally
        {
            Release(uri);
        }
    }

    private void Enqueue(CrawlFrontier frontier, FrontierEntry entry, List<Uri> links, bool relevant, double score)
    {
        var depth = entry.Depth + 1;
        if (depth > _options.MaxDepth)
        {
            return;
        }

        int misses;
        double priority;
        if (_options.Strategy == CrawlStrategy.BreadthFirst)
        {
            (misses, priority) = (0, -depth);
        }
        else if (relevant)
        {
            (misses, priority) = (0, 1 + score);
        }
        else
        {
            misses = entry.Misses + 1;
            if (misses > _options.IrrelevantDepth)
            {
                return;
            }

            priority = -misses;
        }

        foreach (var link in links)
        {
            if (InScope(link, out _))
            {
                frontier.Add(link.AbsoluteUri, depth, misses, priority, entry.Url);
            }
        }
    }

    /// <summary>Relevance of a page's main text: the lexicon thresholds, and the classifier when asked; the score orders the frontier.</summary>
    private (bool Relevant, double Score) Judge(string text, CancellationToken cancellationToken)
    {
        var match = SecurityLexicon.Default.Match(text);
        var lexicon = match.DistinctTerms >= _options.MinDistinctTerms && match.HitsPerThousandWords >= _options.MinTermsPerThousandWords;
        var score = Math.Min(1, match.DistinctTerms / 20.0);
        if (!_options.UseClassifier || !lexicon)
        {
            return (lexicon, score);
        }

        var probability = RelevanceClassifier.Default.Score([text], cancellationToken)[0];
        return (probability >= 0.5, probability);
    }

    private List<Uri> Links(string html, Uri baseUri)
    {
        var document = _parser.ParseDocument(html);
        var effectiveBase = document.QuerySelector("base[href]")?.GetAttribute("href") is { } b && CrawlUrl.Normalize(b, baseUri) is { } resolved ? resolved : baseUri;
        return document.QuerySelectorAll("a[href], area[href]")
            .Where(a => !(a.GetAttribute("rel") ?? string.Empty).Contains("nofollow", StringComparison.OrdinalIgnoreCase))
            .Select(a => CrawlUrl.Normalize(a.GetAttribute("href")!, effectiveBase))
            .OfType<Uri>().DistinctBy(u => u.AbsoluteUri).ToList();
    }

    private bool InScope(Uri uri, out string why)
    {
        if (!_allowedHosts.Contains(uri.Host))
        {
            why = $"host {uri.Host} is not among the hosts to crawl";
            return false;
        }

        if (_deny.FirstOrDefault(d => d.IsMatch(uri.AbsoluteUri)) is { } rule)
        {
            why = $"matches the deny rule {rule}";
            return false;
        }

        why = string.Empty;
        return true;
    }

    private readonly record struct HostState(int InFlight, DateTimeOffset NextAllowed, TimeSpan Delay);

    private sealed record Page(Uri FinalUri, int Status, string ContentType, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers, string? Address);

    private sealed class CrawlFailure(string code, string message, int? status = null, bool skip = false) : Exception(message)
    {
        public string Code { get; } = code;

        public int? Status { get; } = status;

        public bool Skip { get; } = skip;
    }

    /// <summary>GET with redirects followed by hand (each hop in scope, allowed by robots.txt, not seen in this chain) and retries.</summary>
    private async Task<Page> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        var chain = new HashSet<string>(StringComparer.Ordinal) { uri.AbsoluteUri };
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            var page = await FetchOnceWithRetriesAsync(current, cancellationToken).ConfigureAwait(false);
            if (page.Status is not (301 or 302 or 303 or 307 or 308))
            {
                return page;
            }

            var location = page.Headers.FirstOrDefault(h => h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase)).Value;
            var next = location is null ? null : CrawlUrl.Normalize(location, current);
            if (next is null)
            {
                throw new CrawlFailure("bad-redirect", $"HTTP {page.Status} without a usable Location", page.Status);
            }

            if (!chain.Add(next.AbsoluteUri))
            {
                throw new CrawlFailure("redirect-loop", $"redirects back to {next} after {hop + 1} hops", page.Status);
            }

            if (hop + 1 > _options.MaxRedirects)
            {
                throw new CrawlFailure("too-many-redirects", $"more than {_options.MaxRedirects} redirects", page.Status);
            }

            if (!InScope(next, out var why))
            {
                throw new CrawlFailure("redirect-out-of-scope", $"redirects to {next}: {why}", page.Status, skip: true);
            }

            if (!(await RobotsAsync(next, cancellationToken).ConfigureAwait(false)).Allows(next))
            {
                throw new CrawlFailure("robots.txt", $"redirects to {next}, disallowed by robots.txt", page.Status, skip: true);
            }

            current = next;
        }
    }

    private async Task<Page> FetchOnceWithRetriesAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var page = await FetchOnceAsync(uri, cancellationToken).ConfigureAwait(false);
                if ((page.Status >= 500 || page.Status == 429) && attempt < _options.Retries)
                {
                    var retryAfter = page.Headers.FirstOrDefault(h => h.Name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
                    var wait = int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 30)) : Backoff(attempt);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return page;
            }
            catch (CrawlFailure failure) when (failure.Code is "timeout" or "connection" && attempt < _options.Retries)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt) * (0.8 + (Random.Shared.NextDouble() * 0.4)));

    private async Task<Page> FetchOnceAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var headers = response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value.Select(v => (h.Key, v))).ToList();
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300 && !IsHtml(contentType) && !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                throw new CrawlFailure("not-html", $"content type {contentType} is not crawled", status, skip: true);
            }

            if (response.Content.Headers.ContentLength > _options.MaxBytes)
            {
                throw new CrawlFailure("too-large", $"{response.Content.Headers.ContentLength:N0} bytes, over the {Core.IO.ByteSize.Format(_options.MaxBytes)} limit", status);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > _options.MaxBytes)
                {
                    throw new CrawlFailure("too-large", $"the body passes the {Core.IO.ByteSize.Format(_options.MaxBytes)} limit", status);
                }

                body.Write(buffer, 0, read);
            }

            return new Page(uri, status, contentType, body.ToArray(), headers, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CrawlFailure("timeout", $"no complete answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (RefusedAddressException refused)
        {
            throw new CrawlFailure("refused-address", refused.Message, skip: true);
        }
        catch (HttpRequestException exception) when (exception.InnerException is RefusedAddressException refused)
        {
            throw new CrawlFailure("refused-address", refused.Message, skip: true);
        }
        catch (HttpRequestException exception)
        {
            throw new CrawlFailure("connection", exception.Message);
        }
        catch (IOException exception)
        {
            throw new CrawlFailure("connection", exception.Message);
        }
    }

    private Task<RobotsRules> RobotsAsync(Uri uri, CancellationToken cancellationToken) =>
        _robots.GetOrAdd(CrawlUrl.HostKey(uri), async key =>
        {
            RobotsRules rules;
            try
            {
                var page = await FetchOnceWithRetriesAsync(new Uri(key + "/robots.txt"), cancellationToken).ConfigureAwait(false);
                rules = page.Status switch
                {
                    >= 200 and < 300 => RobotsRules.Parse(Encoding.UTF8.GetString(page.Body), _options.RobotsToken),
                    >= 400 and < 500 => RobotsRules.AllowAll,
                    _ => RobotsRules.DisallowAll,
                };
            }
            catch (CrawlFailure failure) when (failure.Code == "not-html")
            {
                rules = RobotsRules.AllowAll;
            }
            catch (CrawlFailure failure) when (failure.Code == "refused-address")
            {
                throw;
            }
            catch (CrawlFailure)
            {
                rules = RobotsRules.DisallowAll;
            }

            if (rules.CrawlDelay is { } delay)
            {
                lock (_hostGate)
                {
                    var state = _hosts.GetValueOrDefault(key, new HostState(0, DateTimeOffset.MinValue, _options.PerHostDelay));
                    _hosts[key] = state with { Delay = delay > _options.PerHostDelay ? delay : _options.PerHostDelay };
                }
            }

            return rules;
        });

    private async Task AddSitemapAsync(Uri sitemap, CrawlFrontier frontier, int level, CancellationToken cancellationToken)
    {
        Page page;
        try
        {
            page = await FetchAsync(sitemap, cancellationToken).ConfigureAwait(false);
        }
        catch (CrawlFailure failure)
        {
            frontier.Add(sitemap.AbsoluteUri, 0, 0, 0, null);
            frontier.Finish(sitemap.AbsoluteUri, "failed", failure.Status, null, "sitemap-" + failure.Code, failure.Message);
            return;
        }

        var xml = Encoding.UTF8.GetString(page.Body);
        foreach (Match match in SitemapLoc().Matches(xml))
        {
            if (CrawlUrl.Normalize(WebUtility.HtmlDecode(match.Groups[1].Value)) is not { } loc)
            {
                continue;
            }

            if (IsSitemap(loc) && level < 3)
            {
                await AddSitemapAsync(loc, frontier, level + 1, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                frontier.Add(loc.AbsoluteUri, 0, 0, 5, sitemap.AbsoluteUri);
            }
        }
    }

    private bool HostReady(string url)
    {
        var key = CrawlUrl.HostKey(new Uri(url));
        lock (_hostGate)
        {
            var state = _hosts.GetValueOrDefault(key, new HostState(0, DateTimeOffset.MinValue, _options.PerHostDelay));
            return state.InFlight < _options.PerHostConcurrency && state.NextAllowed <= DateTimeOffset.UtcNow;
        }
    }

    private void Reserve(Uri uri)
    {
        var key = CrawlUrl.HostKey(uri);
        lock (_hostGate)
        {
            var state = _hosts.GetValueOrDefault(key, new HostState(0, DateTimeOffset.MinValue, _options.PerHostDelay));
            _hosts[key] = new HostState(state.InFlight + 1, DateTimeOffset.UtcNow + state.Delay, state.Delay);
        }
    }

    private void Release(Uri uri)
    {
        var key = CrawlUrl.HostKey(uri);
        lock (_hostGate)
        {
            var state = _hosts[key];
            _hosts[key] = new HostState(state.InFlight - 1, DateTimeOffset.UtcNow + state.Delay, state.Delay);
        }
    }

    private void Write(WarcWriter warc, Page page, FrontierEntry entry, bool? relevant, double score)
    {
        var date = DateTimeOffset.UtcNow;
        var target = page.FinalUri.AbsoluteUri;
        var requestId = Guid.NewGuid().ToString();
        var responseId = Guid.NewGuid().ToString();
        var request = Encoding.ASCII.GetBytes($"GET {page.FinalUri.PathAndQuery} HTTP/1.1\r\nHost: {page.FinalUri.Authority}\r\nUser-Agent: {_options.UserAgent}\r\nAccept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5\r\n\r\n");
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {page.Status} {(HttpStatusCode)page.Status}\r\n");
        foreach (var (name, value) in page.Headers.Where(h => !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {page.Body.Length}\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var block = new byte[headBytes.Length + page.Body.Length];
        headBytes.CopyTo(block, 0);
        page.Body.CopyTo(block, headBytes.Length);
#pragma warning disable CA5350 // WARC digests are SHA-1 by convention (Common Crawl, warcio): identifiers, not security.
        var payloadDigest = "sha1:" + Base32(SHA1.HashData(page.Body));
        var blockDigest = "sha1:" + Base32(SHA1.HashData(block));
#pragma warning restore CA5350
        warc.WriteRecord("request", requestId, date, target, "application/http; msgtype=request", request, ("WARC-Concurrent-To", $"<urn:uuid:{responseId}>"));
        warc.WriteRecord("response", responseId, date, target, "application/http; msgtype=response", block,
            ("WARC-Payload-Digest", payloadDigest),
            ("WARC-Block-Digest", blockDigest));
        var metadata = new StringBuilder();
        metadata.Append(CultureInfo.InvariantCulture, $"depth: {entry.Depth}\r\n");
        if (entry.Via is not null)
        {
            metadata.Append(CultureInfo.InvariantCulture, $"via: {entry.Via}\r\n");
        }

        if (target != entry.Url)
        {
            metadata.Append(CultureInfo.InvariantCulture, $"redirected-from: {entry.Url}\r\n");
        }

        if (relevant is not null)
        {
            metadata.Append(CultureInfo.InvariantCulture, $"security-relevant: {(relevant.Value ? "yes" : "no")}\r\nrelevance-score: {score:0.###}\r\n");
        }

        warc.WriteRecord("metadata", Guid.NewGuid().ToString(), date, target, "application/warc-fields", Encoding.UTF8.GetBytes(metadata.ToString()), ("WARC-Refers-To", $"<urn:uuid:{responseId}>"));
        warc.Flush();
    }

    private static string Base32(byte[] bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }

    private static bool IsHtml(string contentType) => HtmlTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase));

    private static string? Charset(string contentType) =>
        contentType.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?[8..].Trim('"');

    private static bool IsSitemap(Uri uri) => uri.AbsolutePath.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && uri.AbsolutePath.Contains("sitemap", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"<loc>\s*([^<\s]+)\s*</loc>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SitemapLoc();
}
