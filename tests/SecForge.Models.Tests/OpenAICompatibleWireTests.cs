using System.Text.Json;
using Microsoft.Extensions.AI;
using SecForge.Models.Completions;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Models.Tests;

/// <summary>What goes over the wire to an OpenAI-compatible server, checked on the loopback server's request log.</summary>
public sealed class OpenAICompatibleWireTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await LoopbackModelServer.StartAsync(Token);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private ModelConnection Connect(ModelDefinition? definition = null)
    {
        definition ??= new ModelDefinition();
        definition.Spec = _server.Spec("wire-model");
        var model = new ModelRegistry(new Dictionary<string, ModelDefinition> { ["m"] = definition }).Resolve("m");
        return ModelFactory.Connect(model, new ModelRuntimeOptions { Retry = new() { MaxAttempts = 1 } });
    }

    [Fact]
    public async Task MaxTokens_IsSentUnderBothNames()
    {
        using var model = Connect();
        await model.Chat.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 7 }, Token);

        var body = Assert.Single(_server.Requests).Body;
        Assert.Equal(7, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(7, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("wire-model", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task SecForgeKeys_AreTranslatedAndNeverSentAsIs()
    {
        using var model = Connect();
        await model.Chat.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 3 }.WithTrial(4).WithLogProbabilities(top: 2), Token);

        var raw = Assert.Single(_server.Requests).Body.GetRawText();
        Assert.DoesNotContain("secforge", raw, StringComparison.Ordinal);
        var body = _server.Requests.Single().Body;
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, body.GetProperty("top_logprobs").GetInt32());
    }

    [Fact]
    public async Task DefaultsFromTheModelDefinition_FillUnsetOptions()
    {
        using var model = Connect(new ModelDefinition { Temperature = 0.3f, MaxTokens = 9, Seed = 11 });
        await model.Chat.GetResponseAsync("hello", new ChatOptions { Temperature = 0.9f }, Token);

        var body = Assert.Single(_server.Requests).Body;
        Assert.Equal(0.9, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(9, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(11, body.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task ApiKey_FromTheNamedEnvironmentVariable_IsSentAsBearerToken()
    {
        var variable = "SECFORGE_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-test-secret");
        try
        {
            using var model = Connect(new ModelDefinition { ApiKeyEnv = variable });
            await model.Chat.GetResponseAsync("hello", cancellationToken: Token);
            Assert.Equal("Bearer sk-test-secret", Assert.Single(_server.Requests).Authorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void ApiKey_NamedButUnset_IsAClearInputError()
    {
        var exception = Assert.Throws<SecForge.Core.Errors.InputException>(() => Connect(new ModelDefinition { ApiKeyEnv = "SECFORGE_DEFINITELY_UNSET_VARIABLE" }));
        Assert.Contains("SECFORGE_DEFINITELY_UNSET_VARIABLE", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawCompletion_OnAChatOnlyServer_SaysItIsNotSupported()
    {
        _server.SupportsCompletions = false;
        using var model = Connect();
        var exception = await Assert.ThrowsAsync<ModelCapabilityNotSupportedException>(() => model.Completion.CompleteAsync("x", cancellationToken: Token));
        Assert.Contains("not supported by this backend", exception.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task PromptLogLikelihood_OnAServerThatIgnoresEcho_SaysItIsNotSupported()
    {
        _server.SupportsEcho = false;
        using var model = Connect();
        var exception = await Assert.ThrowsAsync<ModelCapabilityNotSupportedException>(() => model.Completion.GetLogLikelihoodAsync("context", " more", cancellationToken: Token));
        Assert.Equal("prompt log-likelihood", exception.Capability);
    }

    [Fact]
    public async Task PromptLogLikelihood_UsesEchoWithLogprobs()
    {
        using var model = Connect();
        await model.Completion.GetLogLikelihoodAsync("context", " more", cancellationToken: Token);
        var body = Assert.Single(_server.Requests).Body;
        Assert.True(body.GetProperty("echo").GetBoolean());
        Assert.Equal(1, body.GetProperty("logprobs").GetInt32());
        Assert.Equal("context more", body.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task ToolCalls_FromTheServer_ArriveAsFunctionCalls()
    {
        _server.Responder = _ => new ScriptedReply(string.Empty) { ToolCalls = [("delete_user", "{\"user\":\"alice\"}")] };
        using var model = Connect();
        var response = await model.Chat.GetResponseAsync("clean up", new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("delete_user", "Deletes a user", JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"string\"}}}").RootElement)],
        }, Token);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("delete_user", call.Name);
        Assert.Equal("alice", call.Arguments!["user"]!.ToString());
        Assert.Equal("delete_user", _server.Requests.Single().Body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }
}
