using Microsoft.Extensions.AI;
using SecForge.Models.Completions;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Models.Tests;

/// <summary>The SQLite response cache: what makes two requests the same, and what survives the round trip.</summary>
public sealed class ResponseCacheTests : IAsyncLifetime
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

    private ModelConnection Connect(string? spec = null) =>
        ModelFactory.Connect(new ModelRegistry().Resolve(spec ?? _server.Spec()), new ModelRuntimeOptions { CachePath = _directory.File("cache.sqlite") });

    [Fact]
    public async Task TrialNumber_IsPartOfTheKey()
    {
        using var model = Connect();
        var options = new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 4 };
        await model.Chat.GetResponseAsync("hello", options.Clone().WithTrial(0), Token);
        await model.Chat.GetResponseAsync("hello", options.Clone().WithTrial(1), Token);
        await model.Chat.GetResponseAsync("hello", options.Clone().WithTrial(0), Token);

        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(1, model.Usage.CacheHits);
    }

    [Fact]
    public async Task AnyChangedOption_MissesTheCache()
    {
        using var model = Connect();
        await model.Chat.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 4 }, Token);
        await model.Chat.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 5 }, Token);
        await model.Chat.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 4, Temperature = 0.1f }, Token);
        await model.Chat.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = 4 }, Token);

        Assert.Equal(4, _server.RequestCount);
        Assert.Equal(0, model.Usage.CacheHits);
    }

    [Fact]
    public async Task DifferentModels_DoNotShareEntries()
    {
        using (var first = Connect(_server.Spec("model-a")))
        {
            await first.Chat.GetResponseAsync("hello", cancellationToken: Token);
        }

        using var second = Connect(_server.Spec("model-b"));
        await second.Chat.GetResponseAsync("hello", cancellationToken: Token);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task LogProbabilities_SurviveTheCache()
    {
        var options = new ChatOptions { MaxOutputTokens = 5 }.WithLogProbabilities(2);
        IReadOnlyList<TokenLogProbability>? fresh;
        using (var model = Connect())
        {
            fresh = (await model.Chat.GetResponseAsync("hello", options, Token)).GetLogProbabilities();
        }

        using var again = Connect();
        var cached = await again.Chat.GetResponseAsync("hello", options, Token);
        Assert.Equal(1, again.Usage.CacheHits);
        Assert.NotNull(fresh);
        Assert.Equal(fresh, cached.GetLogProbabilities(), new TokenComparer());
    }

    [Fact]
    public async Task Streams_AreCachedWhole()
    {
        string first;
        using (var model = Connect())
        {
            first = (await model.Chat.GetStreamingResponseAsync("hello", new ChatOptions { MaxOutputTokens = 6 }, Token).ToChatResponseAsync(Token)).Text;
        }

        using var again = Connect();
        var second = (await again.Chat.GetStreamingResponseAsync("hello", new ChatOptions { MaxOutputTokens = 6 }, Token).ToChatResponseAsync(Token)).Text;
        Assert.Equal(first, second);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task RawCompletionsAndLogLikelihoods_AreCached()
    {
        using (var model = Connect())
        {
            await model.Completion.CompleteAsync("prompt", new TextCompletionOptions { MaxOutputTokens = 3 }, Token);
            await model.Completion.GetLogLikelihoodAsync("context", " next", cancellationToken: Token);
        }

        using var again = Connect();
        var completion = await again.Completion.CompleteAsync("prompt", new TextCompletionOptions { MaxOutputTokens = 3 }, Token);
        var likelihood = await again.Completion.GetLogLikelihoodAsync("context", " next", cancellationToken: Token);
        await again.Completion.CompleteAsync("prompt", new TextCompletionOptions { MaxOutputTokens = 3, Trial = 1 }, Token);

        Assert.NotEmpty(completion.Text);
        Assert.True(likelihood.LogProbability < 0);
        Assert.Equal(2, again.Usage.CacheHits);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public void Store_PersistsAcrossConnections()
    {
        var path = _directory.File("store.sqlite");
        using (var store = new ResponseCacheStore(path))
        {
            store.Put("k", "chat", "{\"v\":1}");
        }

        using var reopened = new ResponseCacheStore(path);
        Assert.Equal("{\"v\":1}", reopened.Get("k"));
        Assert.Null(reopened.Get("missing"));
        Assert.Equal(1, reopened.Count());
    }

    private sealed class TokenComparer : IEqualityComparer<TokenLogProbability>
    {
        public bool Equals(TokenLogProbability? x, TokenLogProbability? y) =>
            x!.Token == y!.Token && Math.Abs(x.LogProbability - y.LogProbability) < 1e-9 && (x.Top?.Count ?? 0) == (y.Top?.Count ?? 0);

        public int GetHashCode(TokenLogProbability obj) => obj.Token.GetHashCode(StringComparison.Ordinal);
    }
}
