using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecForge.Core.Hashing;

namespace SecForge.Testing;

/// <summary>
/// A real OpenAI-compatible HTTP server (Kestrel on 127.0.0.1, a free port) for tests and benchmarks:
/// <c>/v1/chat/completions</c> (plain and streaming), <c>/v1/completions</c> (with echo and logprobs) and
/// <c>/v1/models</c>, answering from a script or from <see cref="ToyLanguageModel"/>, with configurable latency
/// and injected faults (429 with Retry-After, 500, hangs, resets, malformed JSON, truncated streams).
/// </summary>
public sealed class LoopbackModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private long _requestCount;
    private long _inFlight;
    private long _maxInFlight;

    private LoopbackModelServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The base URL, ending in <c>/v1</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Answers chat requests; by default the toy model continues the conversation.</summary>
    public Func<LoopbackRequest, ScriptedReply> Responder { get; set; } = DefaultResponder;

    /// <summary>Decides a fault for a request (null for none).</summary>
    public Func<LoopbackRequest, ServerFault?>? Faults { get; set; }

    /// <summary>Added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When false, <c>/v1/completions</c> answers 404, as chat-only servers do.</summary>
    public bool SupportsCompletions { get; set; } = true;

    /// <summary>When false, <c>echo</c> is ignored, as servers without prompt scoring do.</summary>
    public bool SupportsEcho { get; set; } = true;

    /// <summary>When false, requests are not kept (for benchmarks).</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyCollection<LoopbackRequest> Requests => _requests;

    /// <summary>Requests received, counted even when not recorded.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>The most requests that were being handled at once.</summary>
    public long MaxInFlight => Interlocked.Read(ref _maxInFlight);

    /// <summary>A model spec that points SecForge at this server.</summary>
    public string Spec(string model = "loopback") => $"openai:{model}@{BaseUri.AbsoluteUri.TrimEnd('/')}";

    /// <summary>Starts a server on a free loopback port.</summary>
    public static Task<LoopbackModelServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(0, cancellationToken);

    /// <summary>Starts a server on <paramref name="port"/> (0: a free one), e.g. to bring a stopped server back on its port.</summary>
    public static async Task<LoopbackModelServer> StartAsync(int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackModelServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.Limits.MaxConcurrentConnections = null;
            options.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            options.AddServerHeader = false;
        });
        var app = builder.Build();
        LoopbackModelServer? server = null;
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "loopback", @object = "model", owned_by = "secforge-tests" } } }));
        app.MapPost("/v1/chat/completions", context => server!.HandleAsync(context, chat: true));
        app.MapPost("/v1/completions", context => server!.HandleAsync(context, chat: false));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LoopbackModelServer(app, new Uri(address.TrimEnd('/') + "/v1"));
        return server;
    }

    /// <summary>Forgets the recorded requests and attempt counts.</summary>
    public void ClearRequests()
    {
        _requests.Clear();
        _attempts.Clear();
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _maxInFlight, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The default chat responder: the toy model continues the last user message.</summary>
    public static ScriptedReply DefaultResponder(LoopbackRequest request)
    {
        var max = request.Body.TryGetProperty("max_tokens", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 16;
        var temperature = request.Body.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 0;
        var seed = request.Body.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : 0;
        var tokens = ToyLanguageModel.Generate(string.Join("\n", request.Messages.Select(x => x.Content)), max, temperature, seed, out var finish);
        return new ScriptedReply(string.Concat(tokens.Select(x => x.Token))) { FinishReason = finish };
    }

    private async Task HandleAsync(HttpContext context, bool chat)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        long seen;
        while (inFlight > (seen = Interlocked.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }

        try
        {
            Interlocked.Increment(ref _requestCount);
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            var root = body.RootElement.Clone();
            var raw = root.GetRawText();
            var attempt = _attempts.AddOrUpdate(ContentHash.Sha256Hex(raw), 1, (_, n) => n + 1);
            var request = ParseRequest(root, chat, attempt, context.Request.Headers.Authorization.ToString());
            if (RecordRequests)
            {
                _requests.Enqueue(request);
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
            }

            var fault = Faults?.Invoke(request);
            if (fault is not null && fault.Kind != ServerFaultKind.TruncatedStream && await ApplyFaultAsync(context, fault).ConfigureAwait(false))
            {
                return;
            }

            if (!chat)
            {
                await CompleteAsync(context, request).ConfigureAwait(false);
                return;
            }

            var reply = Responder(request);
            if (request.Stream)
            {
                await StreamChatAsync(context, request, reply, truncate: fault?.Kind == ServerFaultKind.TruncatedStream).ConfigureAwait(false);
            }
            else
            {
                await WriteJsonAsync(context, ChatCompletion(request, reply)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task<bool> ApplyFaultAsync(HttpContext context, ServerFault fault)
    {
        switch (fault.Kind)
        {
            case ServerFaultKind.TooManyRequests:
                var retryAfter = fault.RetryAfter ?? TimeSpan.FromMilliseconds(20);
                context.Response.StatusCode = 429;
                context.Response.Headers["retry-after-ms"] = ((int)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await WriteJsonAsync(context, Error("rate limit reached", "rate_limit_exceeded")).ConfigureAwait(false);
                return true;
            case ServerFaultKind.ServerError:
                context.Response.StatusCode = 500;
                await WriteJsonAsync(context, Error("the server had an error", "server_error")).ConfigureAwait(false);
                return true;
            case ServerFaultKind.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
                return true;
            case ServerFaultKind.ConnectionReset:
                context.Abort();
                return true;
            case ServerFaultKind.MalformedJson:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"unterminated", context.RequestAborted).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static LoopbackRequest ParseRequest(JsonElement root, bool chat, int attempt, string authorization)
    {
        var messages = new List<(string, string)>();
        if (chat && root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in list.EnumerateArray())
            {
                var role = message.TryGetProperty("role", out var r) ? r.GetString() ?? "user" : "user";
                messages.Add((role, ContentText(message)));
            }
        }

        return new LoopbackRequest
        {
            Endpoint = chat ? "chat" : "completions",
            Model = root.TryGetProperty("model", out var model) ? model.GetString() ?? string.Empty : string.Empty,
            Messages = messages,
            Prompt = !chat && root.TryGetProperty("prompt", out var prompt) ? prompt.GetString() : null,
            Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
            Body = root,
            Authorization = string.IsNullOrEmpty(authorization) ? null : authorization,
            Attempt = attempt,
        };
    }

    private static string ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? string.Empty;
        }

        if (content.ValueKind == JsonValueKind.Array)
        {
            var text = new StringBuilder();
            foreach (var part in content.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var t))
                {
                    text.Append(t.GetString());
                }
            }

            return text.ToString();
        }

        return string.Empty;
    }

    private static JsonObject ChatCompletion(LoopbackRequest request, ScriptedReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text };
        if (reply.ToolCalls is { Count: > 0 } calls)
        {
            message["tool_calls"] = new JsonArray(calls.Select((call, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
            }).ToArray());
        }

        var choice = new JsonObject
        {
            ["index"] = 0,
            ["message"] = message,
            ["finish_reason"] = reply.ToolCalls is { Count: > 0 } ? "tool_calls" : reply.FinishReason,
        };
        if (request.Body.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            var top = request.Body.TryGetProperty("top_logprobs", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : 0;
            choice["logprobs"] = new JsonObject { ["content"] = ChatLogprobs(request, reply.Text, top) };
        }

        var promptTokens = request.Messages.Sum(m => ToyLanguageModel.Tokenize(m.Content).Count);
        var completionTokens = ToyLanguageModel.Tokenize(reply.Text).Count;
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = request.Model,
            ["choices"] = new JsonArray(choice),
            ["usage"] = Usage(promptTokens, completionTokens),
        };
    }

    private static JsonArray ChatLogprobs(LoopbackRequest request, string text, int top)
    {
        var previous = ToyLanguageModel.Tokenize(request.LastUserMessage).LastOrDefault().Token;
        var array = new JsonArray();
        foreach (var (token, _) in ToyLanguageModel.Tokenize(text))
        {
            var entry = new JsonObject
            {
                ["token"] = token,
                ["logprob"] = ToyLanguageModel.LogProbability(previous, token),
                ["bytes"] = new JsonArray(Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)JsonValue.Create((int)b)).ToArray()),
                ["top_logprobs"] = new JsonArray(ToyLanguageModel.Top(previous, token, top).Take(top).Select(p => (JsonNode)new JsonObject
                {
                    ["token"] = p.Token,
                    ["logprob"] = p.LogProbability,
                    ["bytes"] = new JsonArray(),
                }).ToArray()),
            };
            array.Add(entry);
            previous = token;
        }

        return array;
    }

    private async Task StreamChatAsync(HttpContext context, LoopbackRequest request, ScriptedReply reply, bool truncate)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var tokens = ToyLanguageModel.Tokenize(reply.Text);
        var index = 0;
        foreach (var (token, _) in tokens)
        {
            if (truncate && index++ >= 2)
            {
                // The server stops mid-reply: no finish reason, no [DONE].
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await WriteEventAsync(context, Chunk(id, request.Model, new JsonObject { ["content"] = token }, null)).ConfigureAwait(false);
        }

        await WriteEventAsync(context, Chunk(id, request.Model, new JsonObject(), reply.FinishReason)).ConfigureAwait(false);
        if (request.Body.TryGetProperty("stream_options", out var options) && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True)
        {
            var usage = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request.Model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(request.Messages.Sum(m => ToyLanguageModel.Tokenize(m.Content).Count), tokens.Count),
            };
            await WriteEventAsync(context, usage).ConfigureAwait(false);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finish) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private async Task CompleteAsync(HttpContext context, LoopbackRequest request)
    {
        if (!SupportsCompletions)
        {
            context.Response.StatusCode = 404;
            await WriteJsonAsync(context, Error("Unknown endpoint /v1/completions", "not_found")).ConfigureAwait(false);
            return;
        }

        var body = request.Body;
        var prompt = request.Prompt ?? string.Empty;
        var max = body.TryGetProperty("max_tokens", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 16;
        var temperature = body.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 0;
        var seed = body.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : 0;
        var echo = SupportsEcho && body.TryGetProperty("echo", out var e) && e.ValueKind == JsonValueKind.True;
        var logprobs = body.TryGetProperty("logprobs", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : (int?)null;
        var generated = ToyLanguageModel.Generate(prompt, max, temperature, seed, out var finish);
        var text = string.Concat(generated.Select(g => g.Token));
        var stops = body.TryGetProperty("stop", out var stop) && stop.ValueKind == JsonValueKind.Array ? stop.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        foreach (var candidate in stops)
        {
            var at = text.IndexOf(candidate, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
                finish = "stop";
            }
        }

        var choice = new JsonObject { ["index"] = 0, ["text"] = echo ? prompt + text : text, ["finish_reason"] = finish };
        if (logprobs is { } top)
        {
            var tokens = new JsonArray();
            var values = new JsonArray();
            var tops = new JsonArray();
            var offsets = new JsonArray();
            string? previous = null;
            var all = new List<(string Token, int Offset, bool Prompt)>();
            if (echo)
            {
                all.AddRange(ToyLanguageModel.Tokenize(prompt).Select(p => (p.Token, p.Offset, true)));
            }
            else
            {
                previous = ToyLanguageModel.Tokenize(prompt).LastOrDefault().Token;
            }

            var offset = echo ? prompt.Length : 0;
            foreach (var (token, _) in ToyLanguageModel.Tokenize(text))
            {
                all.Add((token, offset, false));
                offset += token.Length;
            }

            var first = true;
            foreach (var (token, tokenOffset, _) in all)
            {
                tokens.Add(token);
                offsets.Add(tokenOffset);
                if (first && echo)
                {
                    values.Add(null);
                    tops.Add(null);
                }
                else
                {
                    values.Add(ToyLanguageModel.LogProbability(previous, token));
                    var alternatives = new JsonObject();
                    foreach (var (alternative, value) in ToyLanguageModel.Top(previous, token, Math.Max(top, 1)).Take(Math.Max(top, 1)))
                    {
                        alternatives[alternative] = value;
                    }

                    tops.Add(alternatives);
                }

                first = false;
                previous = token;
            }

            choice["logprobs"] = new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = values, ["top_logprobs"] = tops, ["text_offset"] = offsets };
        }

        await WriteJsonAsync(context, new JsonObject
        {
            ["id"] = "cmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "text_completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = request.Model,
            ["choices"] = new JsonArray(choice),
            ["usage"] = Usage(ToyLanguageModel.Tokenize(prompt).Count, generated.Count),
        }).ConfigureAwait(false);
    }

    private static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };

    private static JsonObject Error(string message, string code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["code"] = code },
    };

    private static async Task WriteJsonAsync(HttpContext context, JsonObject value)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(value.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteEventAsync(HttpContext context, JsonObject value)
    {
        await context.Response.WriteAsync("data: " + value.ToJsonString() + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
