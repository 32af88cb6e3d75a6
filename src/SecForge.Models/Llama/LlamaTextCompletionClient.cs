using Microsoft.Extensions.AI;
using SecForge.Models.Completions;

namespace SecForge.Models.Llama;

/// <summary>Raw completion and log-likelihood with an in-process GGUF model through llama.cpp.</summary>
public sealed class LlamaTextCompletionClient : ITextCompletionClient
{
    private readonly LlamaModelHost _host;
    private readonly ChatClientMetadata _metadata;
    private int _disposed;

    public LlamaTextCompletionClient(string modelPath, LlamaModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        _host = LlamaModelHost.Acquire(modelPath, options ?? new LlamaModelOptions());
        _metadata = new ChatClientMetadata("llama.cpp", new Uri(_host.Path), Path.GetFileNameWithoutExtension(_host.Path));
    }

    /// <inheritdoc />
    public async Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var settings = LlamaSettings.From(options, _host.Options.Seed);
        var result = await _host.RunAsync(
            context => LlamaInference.Generate(context, _host, context.Tokenize(prompt, addBos: true, special: true), settings, null, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return new TextCompletion
        {
            Text = result.Text,
            FinishReason = result.FinishReason,
            ModelId = _metadata.DefaultModelId,
            Usage = new UsageDetails
            {
                InputTokenCount = result.PromptTokens,
                OutputTokenCount = result.OutputTokens,
                TotalTokenCount = result.PromptTokens + result.OutputTokens,
            },
            LogProbabilities = result.LogProbabilities,
        };
    }

    /// <inheritdoc />
    public Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(continuation);
        return _host.RunAsync(llama => LlamaInference.ScoreContinuation(llama, _host, context, continuation, cancellationToken), cancellationToken);
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
}
