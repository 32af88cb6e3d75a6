using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Models.Tests;

/// <summary>The conformance suite over real HTTP against the loopback OpenAI-compatible server.</summary>
public sealed class OpenAICompatibleBackendConformanceTests : ModelBackendConformanceTests
{
    private LoopbackModelServer? _server;

    protected override async ValueTask<ModelConnection> ConnectAsync()
    {
        _server = await LoopbackModelServer.StartAsync(Token);
        return ModelFactory.Connect(new ModelRegistry().Resolve(_server.Spec()), new ModelRuntimeOptions());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
