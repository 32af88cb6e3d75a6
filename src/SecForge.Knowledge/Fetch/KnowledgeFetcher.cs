using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Knowledge.Import;
using SecForge.Knowledge.Store;

namespace SecForge.Knowledge.Fetch;

/// <summary>What one source's fetch did.</summary>
public sealed record FetchResult(string Source, string Outcome, IReadOnlyList<ImportReport> Imports, long Bytes);

/// <summary>Settings of <see cref="KnowledgeFetcher"/>.</summary>
public sealed record FetchOptions
{
    /// <summary>Where downloads and their state (ETag, Last-Modified, SHA-256, NVD's last window) are kept.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Replacement URLs by source name (mirrors, or a test server); for nvd the API base URL.</summary>
    public IReadOnlyDictionary<string, string> Urls { get; init; } = new Dictionary<string, string>();

    /// <summary>The NVD API key (sent as the apiKey header); raises NVD's limit from 5 to 50 requests in 30 s.</summary>
    public string? NvdApiKey { get; init; }

    /// <summary>Pause between NVD requests; by default what NVD asks for (6 s without a key, 0.6 s with one).</summary>
    public TimeSpan? NvdDelay { get; init; }

    /// <summary>CVEs per NVD page (at most 2,000).</summary>
    public int NvdPageSize { get; init; } = 2000;

    /// <summary>OSV ecosystems to download (osv.dev's per-ecosystem zips).</summary>
    public IReadOnlyList<string> OsvEcosystems { get; init; } = ["PyPI", "npm", "Maven", "Go"];
}

/// <summary>
/// Refreshes the knowledge base from the official locations: conditional requests (ETag and Last-Modified) so an
/// unchanged file is neither downloaded nor imported again, a SHA-256 of each download recorded (an identical file
/// is not imported again either), NVD fetched incrementally by last-modified window and paged, at the rate NVD
/// allows, with an API key where given. Downloads are written under a temporary name and renamed when complete.
/// </summary>
public sealed class KnowledgeFetcher(KnowledgeBase kb, FetchOptions options, HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>The official locations.</summary>
    public static IReadOnlyDictionary<string, string[]> DefaultUrls { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["attack"] =
        [
            "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json",
            "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/mobile-attack/mobile-attack.json",
            "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/ics-attack/ics-attack.json",
        ],
        ["capec"] = ["https://raw.githubusercontent.com/mitre/cti/master/capec/2.1/stix-capec.json"],
        ["cwe"] = ["https://cwe.mitre.org/data/xml/cwec_latest.xml.zip"],
        ["kev"] = ["https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"],
        ["epss"] = ["https://epss.cyentia.com/epss_scores-current.csv.gz"],
        ["nvd"] = ["https://services.nvd.nist.gov/rest/json/cves/2.0"],
        ["osv"] = ["https://osv-vulnerabilities.storage.googleapis.com"],
    };

    private readonly HttpClient _http = CreateClient(handler);
    private readonly KnowledgeBase _kb = kb ?? throw new ArgumentNullException(nameof(kb));
    private readonly FetchOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    public async Task<List<FetchResult>> FetchAsync(IEnumerable<string> sources, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Directory.CreateDirectory(_options.CacheDirectory);
        var state = LoadState();
        var results = new List<FetchResult>();
        foreach (var source in sources)
        {
            if (!DefaultUrls.ContainsKey(source))
            {
                throw new ArgumentException($"unknown source '{source}'; known: {string.Join(", ", DefaultUrls.Keys)}", nameof(sources));
            }

            progress?.Report($"{source}: fetching");
            var result = source switch
            {
                "nvd" => await FetchNvdAsync(state, progress, cancellationToken).ConfigureAwait(false),
                "osv" => await FetchFilesAsync(source, _options.OsvEcosystems.Select(e => $"{Url(source, 0)}/{Uri.EscapeDataString(e)}/all.zip").ToList(), state, cancellationToken).ConfigureAwait(false),
                _ => await FetchFilesAsync(source, Enumerable.Range(0, DefaultUrls[source].Length).Select(i => Url(source, i)).ToList(), state, cancellationToken).ConfigureAwait(false),
            };
            results.Add(result);
            SaveState(state);
            progress?.Report($"{source}: {result.Outcome}");
        }

        return results;
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateClient(HttpMessageHandler? handler)
    {
        var client = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate }) { Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("SecForge/1.0 (knowledge base refresh)");
        return client;
    }

    private string Url(string source, int index) =>
        _options.Urls.TryGetValue(source, out var url)
            ? (DefaultUrls[source].Length > 1 ? $"{url.TrimEnd('/')}/{Path.GetFileName(new Uri(DefaultUrls[source][index]).AbsolutePath)}" : url)
            : DefaultUrls[source][index];

    private async Task<FetchResult> FetchFilesAsync(string source, List<string> urls, JsonObject state, CancellationToken cancellationToken)
    {
        var imports = new List<ImportReport>();
        long bytes = 0;
        var outcomes = new List<string>();
        foreach (var url in urls)
        {
            var key = source + " " + url;
            var previous = state[key] as JsonObject;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (previous?["etag"]?.GetValue<string>() is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }

            if (previous?["last_modified"]?.GetValue<string>() is { } modified && DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                request.Headers.IfModifiedSince = since;
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var name = Path.GetFileName(new Uri(url).AbsolutePath);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                outcomes.Add($"{name} not modified");
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                outcomes.Add($"{name} failed: HTTP {(int)response.StatusCode}");
                continue;
            }

            var file = Path.Combine(_options.CacheDirectory, source + "-" + (source == "osv" ? new Uri(url).Segments[^2].Trim('/') + "-" : string.Empty) + name);
            var (sha256, length) = await DownloadAsync(response, file, cancellationToken).ConfigureAwait(false);
            bytes += length;
            var unchanged = previous?["sha256"]?.GetValue<string>() == sha256;
            state[key] = new JsonObject
            {
                ["etag"] = response.Headers.ETag?.ToString(),
                ["last_modified"] = response.Content.Headers.LastModified?.ToString("O", CultureInfo.InvariantCulture),
                ["sha256"] = sha256,
                ["bytes"] = length,
                ["fetched"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            };
            if (unchanged)
            {
                outcomes.Add($"{name} unchanged (same SHA-256)");
                continue;
            }

            imports.AddRange(new KnowledgeImporter(_kb).Import([file], null, cancellationToken));
            outcomes.Add($"{name} downloaded and imported");
        }

        return new FetchResult(source, string.Join("; ", outcomes), imports, bytes);
    }

    private static async Task<(string Sha256, long Length)> DownloadAsync(HttpResponseMessage response, string file, CancellationToken cancellationToken)
    {
        var temporary = file + ".partial";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var output = File.Create(temporary))
        await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }
        }

        File.Move(temporary, file, overwrite: true);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>
    /// NVD's CVE API, paged: the first fetch takes everything; later ones ask only for CVEs modified since the last
    /// fetch (in windows of at most 120 days, NVD's limit), pausing between requests as NVD's rate limits require.
    /// </summary>
    private async Task<FetchResult> FetchNvdAsync(JsonObject state, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var baseUrl = Url("nvd", 0);
        var delay = _options.NvdDelay ?? (_options.NvdApiKey is null ? TimeSpan.FromSeconds(6) : TimeSpan.FromMilliseconds(600));
        var now = DateTimeOffset.UtcNow;
        var windows = new List<(DateTimeOffset? Start, DateTimeOffset? End)>();
        if (state["nvd"]?["last_end"]?.GetValue<string>() is { } last && DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lastEnd))
        {
            for (var start = lastEnd; start < now; start = start.AddDays(120))
            {
                windows.Add((start, start.AddDays(120) < now ? start.AddDays(120) : now));
            }
        }
        else
        {
            windows.Add((null, null));
        }

        var imports = new List<ImportReport>();
        long bytes = 0;
        var pages = 0;
        var first = true;
        foreach (var (start, end) in windows)
        {
            var index = 0;
            while (true)
            {
                if (!first)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }

                first = false;
                var query = $"?resultsPerPage={_options.NvdPageSize}&startIndex={index}";
                if (start is not null)
                {
                    query += $"&lastModStartDate={Uri.EscapeDataString(start.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture))}&lastModEndDate={Uri.EscapeDataString(end!.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture))}";
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + query);
                if (_options.NvdApiKey is not null)
                {
                    request.Headers.Add("apiKey", _options.NvdApiKey);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    // NVD answers 403 or 503 when its rate limit is passed: wait a full window and try the page again.
                    progress?.Report($"nvd: HTTP {(int)response.StatusCode}, waiting {delay.TotalSeconds * 5:0} s");
                    await Task.Delay(delay * 5, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                response.EnsureSuccessStatusCode();
                var file = Path.Combine(_options.CacheDirectory, $"nvd-page-{pages++:00000}.json");
                var (_, length) = await DownloadAsync(response, file, cancellationToken).ConfigureAwait(false);
                bytes += length;
                int total, count;
                using (var document = JsonDocument.Parse(File.ReadAllBytes(file)))
                {
                    total = document.RootElement.TryGetProperty("totalResults", out var t) ? t.GetInt32() : 0;
                    count = document.RootElement.TryGetProperty("vulnerabilities", out var v) ? v.GetArrayLength() : 0;
                }

                imports.AddRange(new KnowledgeImporter(_kb).Import([file], null, cancellationToken));
                File.Delete(file);
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"nvd: {index + count:N0} of {total:N0}"));
                index += count;
                if (count == 0 || index >= total)
                {
                    break;
                }
            }
        }

        state["nvd"] = new JsonObject { ["last_end"] = now.ToString("O", CultureInfo.InvariantCulture), ["pages"] = pages };
        return new FetchResult("nvd", string.Create(CultureInfo.InvariantCulture, $"{imports.Sum(i => i.Entities):N0} CVEs in {pages} pages ({(windows[0].Start is null ? "full" : "changes since " + windows[0].Start!.Value.ToString("u", CultureInfo.InvariantCulture))})"), imports, bytes);
    }

    private JsonObject LoadState()
    {
        var path = Path.Combine(_options.CacheDirectory, "fetch.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
    }

    private void SaveState(JsonObject state)
    {
        var path = Path.Combine(_options.CacheDirectory, "fetch.json");
        File.WriteAllText(path + ".partial", state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(path + ".partial", path, overwrite: true);
    }
}
