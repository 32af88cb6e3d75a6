using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using SecForge.Core.Errors;
using SecForge.Core.Running;
using SecForge.Models.Completions;
using SecForge.Models.Llama;
using SecForge.Models.Middleware;
using SecForge.Models.OpenAICompatible;
using SecForge.Models.Specs;

namespace SecForge.Models;

/// <summary>
/// Builds a <see cref="ModelConnection"/> for any backend, with the middleware in a fixed order
/// (outermost first): response cache → retries → concurrency limit → request timeout → usage → backend.
/// Request defaults from secforge.yaml (temperature, max tokens, seed) fill options the caller left unset.
/// </summary>
public static class ModelFactory
{
    /// <summary>Connects to <paramref name="model"/>.</summary>
    public static ModelConnection Connect(ResolvedModel model, ModelRuntimeOptions? runtime = null, ResponseCacheStore? sharedCache = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        runtime ??= new ModelRuntimeOptions();
        var definition = model.Definition;
        var usage = new ModelUsage();
        var limiter = new AdaptiveConcurrencyLimiter(definition.Concurrency ?? runtime.Concurrency, usage);
        var timeout = definition.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : runtime.Timeout;
        var retry = definition.MaxAttempts is { } attempts ? runtime.Retry with { MaxAttempts = attempts } : runtime.Retry;
        var owned = new List<IDisposable>();
        var warnings = new List<string>();
        var ownedCache = sharedCache is null && runtime.CachePath is { } cachePath ? new ResponseCacheStore(cachePath) : null;
        var cache = sharedCache ?? ownedCache;
        var breaker = new CircuitBreaker(model.Spec.BaseUri?.ToString() ?? model.Spec.Text, runtime.UnreachableAfter);
        owned.Add(breaker);

        IChatClient backendChat;
        Func<ITextCompletionClient> backendCompletion;
        switch (model.Spec.Backend)
        {
            case ModelBackend.OpenAICompatible:
                {
                    var apiKey = ResolveApiKey(model);
                    var http = CreateHttpClient();
                    owned.Add(http);
                    var client = new OpenAIClient(
                        new ApiKeyCredential(apiKey ?? "no-key"),
                        new OpenAIClientOptions
                        {
                            Endpoint = model.Spec.BaseUri,
                            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                            NetworkTimeout = TimeSpan.FromDays(1),
                            Transport = new HttpClientPipelineTransport(http),
                        });
                    backendChat = new OpenAICompatibleChatClient(client.GetChatClient(model.Spec.Model).AsIChatClient());
                    backendCompletion = () => new OpenAICompatibleCompletionClient(http, model.Spec.BaseUri!, model.Spec.Model, apiKey);
                    break;
                }

            case ModelBackend.Gguf:
                {
                    var options = new LlamaModelOptions
                    {
                        ContextSize = definition.ContextSize,
                        Threads = definition.Threads,
                        GpuLayerCount = definition.GpuLayers ?? 0,
                        Parallel = definition.Parallel ?? 1,
                        ChatTemplate = definition.ChatTemplate,
                        Seed = definition.Seed is { } seed ? (uint)seed : 42,
                    };
                    if (options.GpuLayerCount > 0 && !LlamaChatClient.SupportsGpuOffload)
                    {
                        warnings.Add($"gpu_layers {options.GpuLayerCount} is set for {model.Name}, but the installed llama.cpp backend (LLamaSharp.Backend.Cpu) cannot offload to a GPU: the model runs on the CPU");
                    }

                    backendChat = new LlamaChatClient(model.Spec.Path!, options);
                    backendCompletion = () => new LlamaTextCompletionClient(model.Spec.Path!, options);
                    break;
                }

            default:
                throw new InputException($"unsupported backend {model.Spec.Backend}");
        }

        var chat = BuildChatPipeline(backendChat, definition, cache, retry, limiter, timeout, usage, breaker);

        var completion = new Lazy<ITextCompletionClient>(() => BuildCompletionPipeline(backendCompletion(), definition, cache, retry, limiter, timeout, usage, breaker));

        return new ModelConnection(model, chat, completion, usage, limiter, ownedCache, owned) { Breaker = breaker, Warnings = warnings };
    }

    /// <summary>
    /// Connects to a backend the caller supplies in code (an <see cref="IChatClient"/> of its own, a fake in a test
    /// or benchmark) with the same middleware as every other model: cache, retries, limit, timeout, usage.
    /// </summary>
    public static ModelConnection Connect(string name, IChatClient backend, ITextCompletionClient? completion = null, ModelRuntimeOptions? runtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(backend);
        runtime ??= new ModelRuntimeOptions();
        var definition = new ModelDefinition();
        var usage = new ModelUsage();
        var limiter = new AdaptiveConcurrencyLimiter(runtime.Concurrency, usage);
        var cache = runtime.CachePath is { } cachePath ? new ResponseCacheStore(cachePath) : null;
        var breaker = new CircuitBreaker(name, runtime.UnreachableAfter);
        var chat = BuildChatPipeline(backend, definition, cache, runtime.Retry, limiter, runtime.Timeout, usage, breaker);
        var lazy = new Lazy<ITextCompletionClient>(() => completion is null
            ? throw new ModelCapabilityNotSupportedException($"{name} has no raw-completion client")
            : BuildCompletionPipeline(completion, definition, cache, runtime.Retry, limiter, runtime.Timeout, usage, breaker));
        var spec = new ModelSpec { Backend = ModelBackend.InProcess, Model = name, Text = name };
        return new ModelConnection(new ResolvedModel(name, spec, definition), chat, lazy, usage, limiter, cache, [breaker]) { Breaker = breaker };
    }

    /// <summary>
    /// Stacks SecForge's chat middleware around <paramref name="backend"/>, outermost first: request defaults,
    /// response cache (when <paramref name="cache"/> is given), retries, concurrency limit, request timeout, usage.
    /// </summary>
    public static IChatClient BuildChatPipeline(
        IChatClient backend,
        ModelDefinition definition,
        ResponseCacheStore? cache,
        RetryOptions retry,
        AdaptiveConcurrencyLimiter limiter,
        TimeSpan timeout,
        ModelUsage usage,
        CircuitBreaker? breaker = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(definition);
        var builder = backend.AsBuilder();
        if (HasDefaults(definition))
        {
            builder.ConfigureOptions(options => ApplyDefaults(options, definition));
        }

        if (cache is not null)
        {
            builder.UseSqliteCache(cache, usage);
        }

        return builder
            .UseRetries(retry, usage, breaker)
            .UseConcurrencyLimit(limiter)
            .UseRequestTimeout(timeout, usage)
            .UseUsageTracking(usage)
            .Build();
    }

    /// <summary>The raw-completion counterpart of <see cref="BuildChatPipeline"/>, in the same order.</summary>
    public static ITextCompletionClient BuildCompletionPipeline(
        ITextCompletionClient backend,
        ModelDefinition definition,
        ResponseCacheStore? cache,
        RetryOptions retry,
        AdaptiveConcurrencyLimiter limiter,
        TimeSpan timeout,
        ModelUsage usage,
        CircuitBreaker? breaker = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(definition);
        var builder = backend.AsBuilder();
        if (HasDefaults(definition))
        {
            builder.Use(inner => new DefaultingTextCompletionClient(inner, definition));
        }

        if (cache is not null)
        {
            builder.UseSqliteCache(cache, usage);
        }

        return builder
            .UseRetries(retry, usage, breaker)
            .UseConcurrencyLimit(limiter)
            .UseRequestTimeout(timeout, usage)
            .UseUsageTracking(usage)
            .Build();
    }

    private static string? ResolveApiKey(ResolvedModel model)
    {
        if (model.Definition.ApiKeyEnv is { Length: > 0 } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value)
                ? throw new InputException($"the environment variable {variable} named by api_key_env for model '{model.Name}' is not set")
                : value;
        }

        // The OpenAI key goes only to OpenAI; a local server gets no key unless the config names one.
        return model.Spec.BaseUri?.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase) == true
            ? Environment.GetEnvironmentVariable("OPENAI_API_KEY")
            : null;
    }

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 1024,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static bool HasDefaults(ModelDefinition definition) =>
        definition.Temperature is not null || definition.MaxTokens is not null || definition.TopP is not null || definition.Seed is not null;

    private static void ApplyDefaults(ChatOptions options, ModelDefinition definition)
    {
        options.Temperature ??= definition.Temperature;
        options.MaxOutputTokens ??= definition.MaxTokens;
        options.TopP ??= definition.TopP;
        options.Seed ??= definition.Seed;
    }

    private sealed class DefaultingTextCompletionClient(ITextCompletionClient inner, ModelDefinition definition) : DelegatingTextCompletionClient(inner)
    {
        public override Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
        {
            options ??= new TextCompletionOptions();
            options = options with
            {
                Temperature = options.Temperature ?? definition.Temperature,
                MaxOutputTokens = options.MaxOutputTokens ?? definition.MaxTokens,
                TopP = options.TopP ?? definition.TopP,
                Seed = options.Seed ?? definition.Seed,
            };
            return base.CompleteAsync(prompt, options, cancellationToken);
        }
    }
}
