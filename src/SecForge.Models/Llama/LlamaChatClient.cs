using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using LLama;
using LLama.Exceptions;
using Microsoft.Extensions.AI;

namespace SecForge.Models.Llama;

/// <summary>
/// Chat with an in-process GGUF model through llama.cpp: messages are rendered with the model's chat template
/// (or an override), then generated greedily or with seeded sampling. Safe for concurrent use.
/// </summary>
public sealed class LlamaChatClient : IChatClient
{
    private readonly LlamaModelHost _host;
    private readonly ChatClientMetadata _metadata;
    private int _disposed;

    public LlamaChatClient(string modelPath, LlamaModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        _host = LlamaModelHost.Acquire(modelPath, options ?? new LlamaModelOptions());
        _metadata = new ChatClientMetadata("llama.cpp", new Uri(_host.Path), Path.GetFileNameWithoutExtension(_host.Path));
    }

    /// <summary>True when the loaded llama.cpp backend can offload layers to a GPU (false with the CPU-only backend).</summary>
    public static bool SupportsGpuOffload
    {
        get
        {
            LlamaNativeLog.EnsureConfigured();
            return LLama.Native.NativeApi.llama_supports_gpu_offload();
        }
    }

    /// <summary>The context size requests run with.</summary>
    public uint ContextSize => _host.ContextSize;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = RenderPrompt(messages, options);
        var settings = LlamaSettings.From(options, _host.Options.Seed);
        var result = await _host.RunAsync(
            context => LlamaInference.Generate(context, _host, context.Tokenize(prompt, addBos: true, special: true), settings, null, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text))
        {
            ModelId = _metadata.DefaultModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = result.FinishReason == "stop" ? ChatFinishReason.Stop : ChatFinishReason.Length,
            Usage = new UsageDetails
            {
                InputTokenCount = result.PromptTokens,
                OutputTokenCount = result.OutputTokens,
                TotalTokenCount = result.PromptTokens + result.OutputTokens,
            },
        };
        if (result.LogProbabilities is { } logProbabilities)
        {
            response.SetLogProbabilities(logProbabilities);
        }

        return response;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = RenderPrompt(messages, options);
        var settings = LlamaSettings.From(options, _host.Options.Seed);
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var responseId = Guid.NewGuid().ToString("N");
        var generation = _host.RunAsync(
            context =>
            {
                try
                {
                    return LlamaInference.Generate(context, _host, context.Tokenize(prompt, addBos: true, special: true), settings, piece => channel.Writer.TryWrite(piece), cancellationToken);
                }
                finally
                {
                    channel.Writer.TryComplete();
                }
            },
            cancellationToken);
        await foreach (var piece in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ResponseId = responseId, ModelId = _metadata.DefaultModelId };
        }

        var result = await generation.ConfigureAwait(false);
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            ModelId = _metadata.DefaultModelId,
            FinishReason = result.FinishReason == "stop" ? ChatFinishReason.Stop : ChatFinishReason.Length,
            Contents =
            [
                new UsageContent(new UsageDetails
                {
                    InputTokenCount = result.PromptTokens,
                    OutputTokenCount = result.OutputTokens,
                    TotalTokenCount = result.PromptTokens + result.OutputTokens,
                }),
            ],
        };
    }

    /// <summary>The exact text the model sees for <paramref name="messages"/>, chat template applied.</summary>
    public string RenderPrompt(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        LLamaTemplate template;
        try
        {
            template = _host.Options.ChatTemplate is { } custom ? new LLamaTemplate(custom) : new LLamaTemplate(_host.Weights);
        }
        catch (RuntimeError exception)
        {
            throw NoTemplate(exception);
        }

        template.AddAssistant = true;
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            template.Add("system", options.Instructions);
        }

        foreach (var message in messages)
        {
            template.Add(message.Role.Value, message.Text);
        }

        try
        {
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (RuntimeError exception)
        {
            throw NoTemplate(exception);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _host.Release();
        }
    }

    private ModelCapabilityNotSupportedException NoTemplate(Exception exception) =>
        new($"chat is not supported by this model: {_host.Path} has no chat template llama.cpp recognises; set chat_template (for example llama3 or chatml) for it in secforge.yaml, or use raw completion", exception)
        {
            Capability = "chat",
        };
}
