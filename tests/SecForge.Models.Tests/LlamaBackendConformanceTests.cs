using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Models.Tests;

/// <summary>The conformance suite through real llama.cpp on the tiny GGUF.</summary>
public sealed class LlamaBackendConformanceTests : ModelBackendConformanceTests
{
    protected override ValueTask<ModelConnection> ConnectAsync()
    {
        var definition = new ModelDefinition { Spec = TinyModel.Spec, Parallel = 3, Threads = 1 };
        var model = new ModelRegistry(new Dictionary<string, ModelDefinition> { ["tiny"] = definition }).Resolve("tiny");
        return ValueTask.FromResult(ModelFactory.Connect(model, new ModelRuntimeOptions()));
    }
}
