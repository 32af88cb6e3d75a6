using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecForge.Testing;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol: opens a report file and reads back what a
/// person would see (the rendered text, the charts drawn, any request for an outside resource).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly int _port;
    private int _nextId;

    private HeadlessChromium(Process process, TempDirectory profile, int port)
    {
        _process = process;
        _profile = profile;
        _port = port;
    }

    /// <summary>The browser executable, or null when none is installed.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("SECFORGE_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Starts the browser.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(CancellationToken cancellationToken = default)
    {
        var executable = Executable ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium)");
        var profile = new TempDirectory("secforge-chromium");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic", "--disable-extensions",
            "--allow-file-access-from-files", $"--user-data-dir={profile.Path}", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portFile = Path.Combine(profile.Path, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("Chromium did not open its DevTools port");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var port = int.Parse((await File.ReadAllLinesAsync(portFile, cancellationToken).ConfigureAwait(false))[0], System.Globalization.CultureInfo.InvariantCulture);
        return new HeadlessChromium(process, profile, port);
    }

    /// <summary>Opens <paramref name="path"/> in a new tab and reads what it shows.</summary>
    public async Task<RenderedPage> RenderAsync(string path, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var created = JsonNode.Parse(await (await http.PutAsync(new Uri($"http://127.0.0.1:{_port}/json/new?about:blank"), null, cancellationToken).ConfigureAwait(false))
            .Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!;
        var socketUrl = created["webSocketDebuggerUrl"]!.GetValue<string>();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(socketUrl), cancellationToken).ConfigureAwait(false);
        await SendAsync(socket, "Page.enable", new JsonObject(), cancellationToken).ConfigureAwait(false);
        await SendAsync(socket, "Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(path)).AbsoluteUri }, cancellationToken).ConfigureAwait(false);
        var deadline = Stopwatch.StartNew();
        while ((await EvaluateAsync(socket, "document.readyState", cancellationToken).ConfigureAwait(false))?.GetValue<string>() != "complete")
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the page did not finish loading");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var text = (await EvaluateAsync(socket, "document.body ? document.body.innerText : ''", cancellationToken).ConfigureAwait(false))?.GetValue<string>() ?? string.Empty;
        var title = (await EvaluateAsync(socket, "document.title", cancellationToken).ConfigureAwait(false))?.GetValue<string>() ?? string.Empty;
        var svg = (await EvaluateAsync(socket, "Array.from(document.querySelectorAll('svg')).filter(s => { const r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length", cancellationToken).ConfigureAwait(false))?.GetValue<int>() ?? 0;
        var marks = (await EvaluateAsync(socket, "Array.from(document.querySelectorAll('svg rect, svg path, svg circle, svg line')).filter(s => { const r = s.getBoundingClientRect(); return r.width > 0 || r.height > 0; }).length", cancellationToken).ConfigureAwait(false))?.GetValue<int>() ?? 0;
        var external = (await EvaluateAsync(socket, "performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('data:')).join('\\n')", cancellationToken).ConfigureAwait(false))?.GetValue<string>() ?? string.Empty;
        var screenshot = await SendAsync(socket, "Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken).ConfigureAwait(false);
        var png = Convert.FromBase64String(screenshot?["data"]?.GetValue<string>() ?? string.Empty);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        return new RenderedPage(title, text, svg, marks, external.Split('\n', StringSplitOptions.RemoveEmptyEntries), png);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _profile.Dispose();
    }

    private async Task<JsonNode?> EvaluateAsync(ClientWebSocket socket, string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync(socket, "Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken).ConfigureAwait(false);
        return result?["result"]?["value"];
    }

    private async Task<JsonNode?> SendAsync(ClientWebSocket socket, string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                received.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var reply = JsonNode.Parse(received.ToArray());
            if (reply?["id"]?.GetValue<int>() == id)
            {
                if (reply["error"] is { } error)
                {
                    throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
                }

                return reply["result"];
            }
        }
    }
}

/// <summary>What a page showed in the browser.</summary>
/// <param name="Title">The document title.</param>
/// <param name="VisibleText">The rendered text (<c>innerText</c>: hidden elements excluded).</param>
/// <param name="VisibleCharts">SVG elements with a non-empty box.</param>
/// <param name="ChartMarks">Bars, paths, circles and lines drawn inside SVGs.</param>
/// <param name="ExternalRequests">Resources the page loaded (none for a self-contained report).</param>
/// <param name="Screenshot">A PNG of the viewport.</param>
public sealed record RenderedPage(string Title, string VisibleText, int VisibleCharts, int ChartMarks, IReadOnlyList<string> ExternalRequests, byte[] Screenshot);
