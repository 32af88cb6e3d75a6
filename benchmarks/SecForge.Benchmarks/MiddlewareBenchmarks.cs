using System.ClientModel;
using System.ClientModel.Primitives;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;
using SecForge.Models;
using SecForge.Models.OpenAICompatible;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// The cost of SecForge's middleware: a raw call to the loopback server, the same call through the full stack
/// (retries, limiter, timeout, usage), and a cache hit. Target: overhead ≤ 50 µs, cache hit ≤ 200 µs.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private readonly ChatOptions _options = new() { MaxOutputTokens = 8, Temperature = 0 };
    private LoopbackModelServer _server = null!;
    private IChatClient _raw = null!;
    private ModelConnection _stack = null!;
    private ModelConnection _cached = null!;
    private TempDirectory _directory = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = LoopbackModelServer.StartAsync().GetAwaiter().GetResult();
        _server.RecordRequests = false;
        _directory = new TempDirectory("secforge-bench");
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new OpenAIClient(new ApiKeyCredential("no-key"), new OpenAIClientOptions
        {
            Endpoint = _server.BaseUri,
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(_http),
        });
        _raw = new OpenAICompatibleChatClient(client.GetChatClient("loopback").AsIChatClient());
        var model = new ModelRegistry().Resolve(_server.Spec());
        _stack = ModelFactory.Connect(model, new ModelRuntimeOptions { Concurrency = 64 });
        _cached = ModelFactory.Connect(model, new ModelRuntimeOptions { Concurrency = 64, CachePath = _directory.File("cache.sqlite") });
        _cached.Chat.GetResponseAsync("cached question", _options).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stack.Dispose();
        _cached.Dispose();
        _raw.Dispose();
        _http.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _directory.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw call to loopback server")]
    public Task<ChatResponse> RawCall() => _raw.GetResponseAsync("benchmark question", _options);

    [Benchmark(Description = "through middleware (no cache)")]
    public Task<ChatResponse> ThroughMiddleware() => _stack.Chat.GetResponseAsync("benchmark question", _options);

    [Benchmark(Description = "cache hit")]
    public Task<ChatResponse> CacheHit() => _cached.Chat.GetResponseAsync("cached question", _options);
}

/// <summary>
/// The middleware's own cost, isolated from HTTP: the same stack around an in-memory client that answers at once.
/// The difference between the two is what each request pays for retries, limiter, timeout and usage accounting.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareOverheadBenchmarks
{
    private readonly ChatOptions _options = new() { MaxOutputTokens = 8, Temperature = 0 };
    private readonly ChatMessage[] _messages = [new(ChatRole.User, "benchmark question")];
    private IChatClient _bare = null!;
    private IChatClient _stack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bare = new InstantChatClient();
        var usage = new SecForge.Models.Middleware.ModelUsage();
        _stack = ModelFactory.BuildChatPipeline(
            new InstantChatClient(),
            new ModelDefinition(),
            cache: null,
            new SecForge.Models.Middleware.RetryOptions(),
            new SecForge.Models.Middleware.AdaptiveConcurrencyLimiter(64, usage),
            TimeSpan.FromSeconds(120),
            usage);
    }

    [Benchmark(Baseline = true, Description = "in-memory client")]
    public Task<ChatResponse> Bare() => _bare.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "same client through the middleware")]
    public Task<ChatResponse> Stack() => _stack.GetResponseAsync(_messages, _options);

    private sealed class InstantChatClient : IChatClient
    {
        private static readonly ChatResponse Response = new(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 1 },
        };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(Response);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
