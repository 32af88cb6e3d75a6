using SecForge.Core.Errors;
using SecForge.Models.Specs;

namespace SecForge.Models.Tests;

public sealed class ModelSpecTests
{
    [Theory]
    [InlineData("openai:gpt-4o-mini@http://127.0.0.1:8000/v1", "gpt-4o-mini", "http://127.0.0.1:8000/v1")]
    [InlineData("openai:gpt-4o-mini", "gpt-4o-mini", "https://api.openai.com/v1")]
    [InlineData("ollama:llama3.1:8b", "llama3.1:8b", "http://127.0.0.1:11434/v1")]
    [InlineData("openai:fdtn-ai/Foundation-Sec-8B@https://vllm.internal:8443/v1", "fdtn-ai/Foundation-Sec-8B", "https://vllm.internal:8443/v1")]
    public void OpenAICompatibleSpecs_Parse(string text, string model, string baseUri)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(ModelBackend.OpenAICompatible, spec.Backend);
        Assert.Equal(model, spec.Model);
        Assert.Equal(new Uri(baseUri), spec.BaseUri);
    }

    [Fact]
    public void GgufSpec_KeepsThePath()
    {
        var spec = ModelSpec.Parse("gguf:models/foundation-sec-8b.Q4_K_M.gguf");
        Assert.Equal(ModelBackend.Gguf, spec.Backend);
        Assert.Equal("models/foundation-sec-8b.Q4_K_M.gguf", spec.Path);
        Assert.Equal("foundation-sec-8b.Q4_K_M", spec.Model);
    }

    [Theory]
    [InlineData("bedrock:claude", "unknown model scheme 'bedrock'")]
    [InlineData("openai:@http://x/v1", "names no model")]
    [InlineData("openai:m@httpx://host/v1", "invalid base URL")]
    [InlineData("gguf:", "names no model")]
    public void BadSpecs_SayWhatIsWrong(string text, string message)
    {
        var exception = Assert.Throws<InputException>(() => ModelSpec.Parse(text));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_ResolvesNamesBeforeSpecs_AndListsKnownNamesWhenLost()
    {
        var registry = new ModelRegistry(new Dictionary<string, ModelDefinition>
        {
            ["base"] = new() { Spec = "gguf:base.gguf", Temperature = 0.3f },
            ["judge"] = new() { Spec = "openai:gpt-4o@https://api.openai.com/v1" },
        });

        Assert.Equal(0.3f, registry.Resolve("base").Definition.Temperature);
        Assert.Equal(ModelBackend.Gguf, registry.Resolve("BASE").Spec.Backend);
        Assert.Equal("x", registry.Resolve("ollama:x").Spec.Model);
        var exception = Assert.Throws<InputException>(() => registry.Resolve("fine-tuned"));
        Assert.Contains("base, judge", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RejectsANamedModelWithABadSpec_NamingTheField()
    {
        var exception = Assert.Throws<InputException>(() => new ModelRegistry(
            new Dictionary<string, ModelDefinition> { ["broken"] = new() { Spec = "nope:x" } },
            "secforge.yaml"));
        Assert.Equal("models.broken.spec", exception.Field);
        Assert.StartsWith("secforge.yaml: field 'models.broken.spec'", exception.Message, StringComparison.Ordinal);
    }
}
