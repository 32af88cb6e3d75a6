using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecForge.Testing;

/// <summary>One resource of a <see cref="LoopbackSite"/>.</summary>
public sealed record SitePage(string Body, string ContentType = "text/html; charset=utf-8", int Status = 200, string? Location = null, TimeSpan Delay = default, bool Endless = false, string? ETag = null, byte[]? Bytes = null);

/// <summary>
/// A real web site on 127.0.0.1 (Kestrel, a free port) for crawler tests and benchmarks: pages by path, including
/// robots.txt, redirects, slow or endless responses; it counts the requests for each path.
/// </summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private LoopbackSite(WebApplication app, Uri baseUri, ConcurrentDictionary<string, SitePage> pages)
    {
        _app = app;
        BaseUri = baseUri;
        Pages = pages;
    }

    public Uri BaseUri { get; }

    /// <summary>The site's resources by path (with query), editable while it runs.</summary>
    public ConcurrentDictionary<string, SitePage> Pages { get; }

    /// <summary>Requests received for <paramref name="path"/>.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public int TotalHits => _hits.Values.Sum();

    public Uri Url(string path) => new(BaseUri, path);

    public static async Task<LoopbackSite> StartAsync(IDictionary<string, SitePage> pages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackSite).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxConcurrentConnections = null;
            options.AddServerHeader = false;
        });
        var app = builder.Build();
        var table = new ConcurrentDictionary<string, SitePage>(pages, StringComparer.Ordinal);
        LoopbackSite? site = null;
        app.Run(context => site!.ServeAsync(context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site = new LoopbackSite(app, new Uri(address.TrimEnd('/') + "/"), table);
        return site;
    }

    /// <summary>Requests received, in order, with their path and query and the headers asked about.</summary>
    public ConcurrentQueue<(string Path, string? IfNoneMatch, string? ApiKey)> Log { get; } = new();

    /// <summary>Answers a request before the page table, for dynamic resources (an API that pages by its query).</summary>
    public Func<HttpContext, SitePage?>? Dynamic { get; set; }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value + context.Request.QueryString.Value;
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        Log.Enqueue((path, ifNoneMatch.Length > 0 ? ifNoneMatch : null, context.Request.Headers["apiKey"].ToString() is { Length: > 0 } key ? key : null));
        var page = Dynamic?.Invoke(context);
        if (page is null && !Pages.TryGetValue(path, out page) && !Pages.TryGetValue(context.Request.Path.Value ?? "/", out page))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("not found", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (page.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(page.Delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (page.ETag is not null)
        {
            context.Response.Headers.ETag = page.ETag;
            if (ifNoneMatch == page.ETag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }

        context.Response.StatusCode = page.Status;
        context.Response.ContentType = page.ContentType;
        if (page.Location is not null)
        {
            context.Response.Headers.Location = page.Location;
        }

        if (page.Endless)
        {
            // A body that never ends (a server streaming gigabytes): 64 KB chunks until the client gives up.
            var chunk = Encoding.ASCII.GetBytes(new string('x', 65536));
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
            }

            return;
        }

        var bytes = page.Bytes ?? Encoding.UTF8.GetBytes(page.Body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A generated site with a security section (<c>/sec/N</c>) and a larger section on other subjects
    /// (<c>/home/N</c>: gardening, cooking, travel): security pages link mostly to security pages, other pages
    /// mostly to other pages, and the front page links to both in proportion, and every page lists its links in random order. Seeded, so the same arguments give
    /// the same site.
    /// </summary>
    public static Dictionary<string, SitePage> Generate(int securityPages, int otherPages, int seed = 1)
    {
        var random = new Random(seed);
        var pages = new Dictionary<string, SitePage>(StringComparer.Ordinal);
        string Sec(int i) => string.Create(CultureInfo.InvariantCulture, $"/sec/{i}");
        string Other(int i) => string.Create(CultureInfo.InvariantCulture, $"/home/{i}");
        string Page(string title, IEnumerable<string> paragraphs, IEnumerable<string> links) =>
            $"<!doctype html><html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav><main><h1>{title}</h1>{string.Concat(paragraphs.Select(p => $"<p>{p}</p>"))}</main><footer><ul>{string.Concat(links.Select(l => $"<li><a href=\"{l}\">{l}</a></li>"))}</ul></footer></body></html>";
        var frontLinks = Enumerable.Range(0, 10).Select(_ => Sec(random.Next(securityPages)))
            .Concat(Enumerable.Range(0, 10 * otherPages / Math.Max(1, securityPages)).Select(_ => Other(random.Next(otherPages))));
        pages["/"] = new SitePage(Page("Example community portal", [Pick(OtherText, random, 4)], Shuffle(frontLinks, random)));
        for (var i = 0; i < securityPages; i++)
        {
            var links = Shuffle(Enumerable.Range(0, 5).Select(_ => Sec(random.Next(securityPages))).Append(Other(random.Next(otherPages))), random);
            pages[Sec(i)] = new SitePage(Page($"Security note {i}", [Pick(SecurityText, random, 6), Pick(SecurityText, random, 6)], links));
        }

        for (var i = 0; i < otherPages; i++)
        {
            var links = Shuffle(Enumerable.Range(0, 5).Select(_ => Other(random.Next(otherPages))).Append(random.Next(4) == 0 ? Sec(random.Next(securityPages)) : Other(random.Next(otherPages))), random);
            pages[Other(i)] = new SitePage(Page($"Notes {i}", [Pick(OtherText, random, 6), Pick(OtherText, random, 6)], links));
        }

        return pages;
    }

    /// <summary>Links in random order, so that neither section comes first on a page.</summary>
    private static List<string> Shuffle(IEnumerable<string> links, Random random) => links.OrderBy(_ => random.Next()).ToList();

    private static string Pick(string[] sentences, Random random, int count) => string.Join(" ", Enumerable.Range(0, count).Select(_ => sentences[random.Next(sentences.Length)]));

    private static readonly string[] SecurityText =
    [
        "The attacker exploited a remote code execution vulnerability in the VPN appliance before the vendor released a patch.",
        "Analysts found the ransomware operator used stolen credentials and moved laterally over RDP to the domain controller.",
        "Defenders should enable multi-factor authentication, audit privileged accounts and monitor for credential dumping from LSASS.",
        "The phishing campaign delivered a malicious macro that downloaded a loader and established command and control over HTTPS.",
        "A SQL injection flaw in the login form let an unauthenticated attacker read the password hashes from the database.",
        "The CVE was added to the KEV catalog after exploitation in the wild, and the CVSS base score is 9.8 critical.",
        "Threat hunters wrote a detection rule for suspicious PowerShell execution and encoded commands in the SIEM.",
        "The malware achieved persistence with a scheduled task and used DLL side-loading to evade endpoint detection.",
        "Incident responders isolated the compromised host, collected memory for forensics and rotated the exposed API keys.",
        "The penetration test found cross-site scripting, an open redirect and a misconfigured firewall rule exposing SMB.",
    ];

    private static readonly string[] OtherText =
    [
        "Tomatoes grow best in full sun with regular watering and a little compost worked into the soil each spring.",
        "For a quick weeknight dinner, roast the vegetables with olive oil, garlic and a pinch of salt until golden.",
        "The old harbour town is best explored on foot, with narrow streets leading down to the fish market.",
        "Prune the roses in late winter, cutting just above an outward-facing bud to keep the centre open.",
        "Let the bread dough rise until doubled, then shape it gently and bake it on a hot stone.",
        "The train along the coast stops at every village, and the views from the left side are the best.",
        "Mulch around the young trees keeps the roots cool in summer and holds moisture after rain.",
        "A spoonful of honey and a squeeze of lemon balance the sharpness of the tomato sauce.",
        "Bring a warm jacket for the mountain pass, where the evenings stay cold even in July.",
        "The community garden meets on Saturdays to swap seeds and share tools.",
    ];
}
