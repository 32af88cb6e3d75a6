using Microsoft.Extensions.AI;
using SecForge.Core.Errors;
using SecForge.Models.Gguf;
using SecForge.Models.Llama;
using SecForge.Testing;

namespace SecForge.Models.Tests;

public sealed class GgufTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TinyModel_IsAFewHundredKilobytesWithTheExpectedHeader()
    {
        var size = new FileInfo(TinyModel.Path).Length;
        Assert.InRange(size, 100_000, 1_000_000);

        var header = GgufHeader.Read(TinyModel.Path);
        Assert.Equal(3u, header.Version);
        Assert.Equal("llama", header.Architecture);
        Assert.Equal(TinyLlamaModel.ContextLength, header.ContextLength);
        Assert.Equal((ulong)(3 + (9 * TinyLlamaModel.BlockCount)), header.TensorCount);
        Assert.Contains("<|start_header_id|>", header.ChatTemplate, StringComparison.Ordinal);
        var tokens = Assert.IsType<GgufArray>(header.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal((ulong)TinyLlamaModel.VocabularySize, tokens.Count);
    }

    [Fact]
    public void Writer_IsDeterministic_AndTheSeedChangesTheWeights()
    {
        using var directory = new TempDirectory();
        TinyLlamaModel.Write(directory.File("a.gguf"));
        TinyLlamaModel.Write(directory.File("b.gguf"));
        TinyLlamaModel.Write(directory.File("c.gguf"), seed: 7);

        Assert.Equal(File.ReadAllBytes(directory.File("a.gguf")), File.ReadAllBytes(directory.File("b.gguf")));
        Assert.NotEqual(File.ReadAllBytes(directory.File("a.gguf")), File.ReadAllBytes(directory.File("c.gguf")));
    }

    [Fact]
    public async Task GreedyGeneration_IsTheSameAcrossProcessesOfThisBuild()
    {
        // Two fresh clients of the same file in this process share one loaded model; a second file with the
        // same bytes is a second load. Both must generate the same text.
        using var directory = new TempDirectory();
        var copy = directory.File("copy.gguf");
        File.Copy(TinyModel.Path, copy);
        using var first = new LlamaChatClient(TinyModel.Path);
        using var second = new LlamaChatClient(copy);
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 0 };

        var a = await first.GetResponseAsync("Summarise CVE-2021-44228", options, Token);
        var b = await second.GetResponseAsync("Summarise CVE-2021-44228", options, Token);

        Assert.Equal(a.Text, b.Text);
        Assert.Equal(12, a.Usage?.OutputTokenCount);
    }

    [Fact]
    public void ChatTemplate_RendersLlama3Turns()
    {
        using var client = new LlamaChatClient(TinyModel.Path);
        var prompt = client.RenderPrompt([new ChatMessage(ChatRole.System, "Be terse."), new ChatMessage(ChatRole.User, "Hi")]);
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nBe terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            prompt);
    }

    [Fact]
    public void ChatTemplateOverride_IsUsed()
    {
        using var client = new LlamaChatClient(TinyModel.Path, new LlamaModelOptions { ChatTemplate = "chatml" });
        var prompt = client.RenderPrompt([new ChatMessage(ChatRole.User, "Hi")]);
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void AFileThatIsNotGguf_IsRejectedWithItsFirstBytes()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.gguf");
        File.WriteAllText(path, "<!DOCTYPE html><html>");

        var exception = Assert.Throws<InputException>(() => GgufHeader.Read(path));
        Assert.Contains("not a GGUF file", exception.Message, StringComparison.Ordinal);
        Assert.Contains("3C 21 44 4F", exception.Message, StringComparison.Ordinal);
        Assert.Equal(path, exception.Path);
    }

    [Fact]
    public void AMissingFile_IsAnInputError()
    {
        var exception = Assert.Throws<InputException>(() => new LlamaChatClient("/nonexistent/model.gguf"));
        Assert.Contains("model file not found", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGgufThatLlamaCppRejects_ReportsLlamaCppsReason()
    {
        using var directory = new TempDirectory();
        var path = directory.File("broken.gguf");
        new GgufWriter()
            .AddString("general.architecture", "llama")
            .AddUInt32("llama.context_length", 128)
            .Write(path);

        var exception = Assert.Throws<InputException>(() => new LlamaChatClient(path));
        Assert.StartsWith(path + ": llama.cpp could not load the model: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("key not found in model: llama.embedding_length", exception.Message, StringComparison.Ordinal);
    }
}
