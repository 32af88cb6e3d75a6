using Microsoft.Extensions.AI;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Models.Tests;

/// <summary>The middleware stack against a server that fails, throttles, resets and hangs.</summary>
public sealed class MiddlewareFaultTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;
    private TempDirectory _directory = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync(Token);
        _directory = new TempDirectory();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private static ServerFault? PlannedFault(int index, int attempt) => (index % 25, attempt) switch
    {
        (0, 1) => new ServerFault(ServerFaultKind.TooManyRequests, TimeSpan.FromMilliseconds(15)),
        (5, 1) => new ServerFault(ServerFaultKind.ServerError),
        (10, 1) => new ServerFault(ServerFaultKind.ConnectionReset),
        (15, 1) => new ServerFault(ServerFaultKind.MalformedJson),
        (20, 1) => new ServerFault(ServerFaultKind.ServerError),
        (20, 2) => new ServerFault(ServerFaultKind.TooManyRequests, TimeSpan.FromMilliseconds(5)),
        (3, 1) => new ServerFault(ServerFaultKind.Hang),
        _ => null,
    };

    private static int IndexOf(LoopbackRequest request) => int.Parse(request.LastUserMessage.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture);

    private ModelConnection Connect(TimeSpan? timeout = null) => ModelFactory.Connect(
        new ModelRegistry().Resolve(_server.Spec()),
        new ModelRuntimeOptions
        {
            CachePath = _directory.File("cache.sqlite"),
            Concurrency = 32,
            // Only the planned hangs may time out: three seconds is far beyond any answer of the loopback server,
            // however loaded the machine, so the counts below do not depend on its speed.
            Timeout = timeout ?? TimeSpan.FromSeconds(3),
            Retry = new RetryOptions { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 1 },
        });

    [Fact]
    public async Task FiveHundredRequests_WithFaultsAndHangs_EachCompleteExactlyOnce_ThenComeFromTheCache()
    {
        const int count = 500;
        _server.Faults = request => PlannedFault(IndexOf(request), request.Attempt);
        var prompts = Enumerable.Range(0, count).Select(i => $"alert #{i}").ToArray();
        var options = new ChatOptions { MaxOutputTokens = 8, Temperature = 0 };

        string[] first;
        ModelUsageSnapshot usage;
        using (var model = Connect())
        {
            first = await Task.WhenAll(prompts.Select(async p => (await model.Chat.GetResponseAsync(p, options, Token)).Text));
            usage = model.Usage.Snapshot();
        }

        var expected = prompts.Select(p => LoopbackModelServer.DefaultResponder(new LoopbackRequest
        {
            Endpoint = "chat",
            Model = "loopback",
            Messages = [("user", p)],
            Body = System.Text.Json.JsonDocument.Parse("{\"max_tokens\":8,\"temperature\":0}").RootElement,
        }).Text).ToArray();
        Assert.Equal(expected, first);

        // Every prompt was answered successfully exactly once by the server; the rest of its requests were faults.
        var faults = Enumerable.Range(0, count).Sum(i => Enumerable.Range(1, 3).Count(a => PlannedFault(i, a) is not null));
        var byPrompt = _server.Requests.GroupBy(IndexOf).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(count, byPrompt.Count);
        Assert.All(byPrompt, pair => Assert.Single(pair.Value, r => PlannedFault(pair.Key, r.Attempt) is null));
        Assert.Equal(count + faults, _server.Requests.Count);

        Assert.Equal(count, usage.Requests);
        Assert.Equal(faults, usage.Retries);
        Assert.Equal(0, usage.Failures);
        Assert.Equal(count / 25, usage.Timeouts);
        Assert.Equal(2 * count / 25, usage.Throttled);
        Assert.Equal(count + faults, usage.Calls);

        var served = _server.RequestCount;
        using (var model = Connect())
        {
            var second = await Task.WhenAll(prompts.Select(async p => (await model.Chat.GetResponseAsync(p, options, Token)).Text));
            Assert.Equal(first, second);
            Assert.Equal(count, model.Usage.CacheHits);
            Assert.Equal(0, model.Usage.Calls);
        }

        Assert.Equal(served, _server.RequestCount);
    }

    [Fact]
    public async Task PersistentServerErrors_BecomeOneRecordedFailureAfterBoundedAttempts()
    {
        _server.Faults = _ => new ServerFault(ServerFaultKind.ServerError);
        // A generous timeout: on a loaded machine an attempt that times out before the server sees it would make
        // the server's count one short of the attempts; this test is about 5xx retries, not timeouts.
        using var model = Connect(TimeSpan.FromSeconds(10));

        var exception = await Assert.ThrowsAsync<ModelCallException>(() => model.Chat.GetResponseAsync("alert #1", cancellationToken: Token));

        Assert.Equal(5, exception.Attempts);
        Assert.Equal(500, exception.StatusCode);
        Assert.True(exception.Transient);
        Assert.Contains("gave up after 5 attempts", exception.Message, StringComparison.Ordinal);
        Assert.Equal(5, _server.RequestCount);
        Assert.Equal(1, model.Usage.Failures);
    }

    [Fact]
    public async Task TruncatedStream_IsAnErrorNotAShortAnswer()
    {
        _server.Faults = _ => new ServerFault(ServerFaultKind.TruncatedStream);
        _server.Responder = _ => new ScriptedReply(" one two three four five six .");
        using var model = Connect();

        var exception = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in model.Chat.GetStreamingResponseAsync("alert #2", cancellationToken: Token))
            {
                Assert.NotNull(update);
            }
        });
        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_HonoursTheServersRetryAfter()
    {
        _server.Faults = request => request.Attempt == 1 ? new ServerFault(ServerFaultKind.TooManyRequests, TimeSpan.FromMilliseconds(1500)) : null;
        var observed = new List<TransientFailure>();
        var policy = new ModelRetryPolicy(new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) });
        policy.AttemptFailed += (_, failure) => observed.Add(failure);
        var openai = new OpenAI.OpenAIClient(
            new System.ClientModel.ApiKeyCredential("no-key"),
            new OpenAI.OpenAIClientOptions { Endpoint = _server.BaseUri, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        using var client = new RetryingChatClient(new SecForge.Models.OpenAICompatible.OpenAICompatibleChatClient(openai.GetChatClient("loopback").AsIChatClient()), policy);

        var delay = System.Diagnostics.Stopwatch.StartNew();
        await client.GetResponseAsync("alert #3", cancellationToken: Token);

        var failure = Assert.Single(observed);
        Assert.True(failure.IsThrottle);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), failure.RetryAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), policy.DelayFor(1, failure));
        Assert.True(delay.Elapsed >= TimeSpan.FromMilliseconds(1400), "the retry waited for Retry-After");
    }

    [Fact]
    public async Task BadRequests_AreNotRetried()
    {
        using var model = ModelFactory.Connect(new ModelRegistry().Resolve(_server.Spec()), new ModelRuntimeOptions());
        var exception = await Assert.ThrowsAsync<ModelCallException>(() =>
            model.Chat.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], new ChatOptions { RawRepresentationFactory = _ => throw new InvalidOperationException("bad request built") }, Token));
        Assert.False(exception.Transient);
        Assert.Equal(1, exception.Attempts);
    }
}
