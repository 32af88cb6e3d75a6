using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using SecForge.Models.Completions;

namespace SecForge.Models.OpenAICompatible;

/// <summary>
/// Raw completions through an OpenAI-compatible server's legacy <c>/v1/completions</c> endpoint (vLLM, llama.cpp
/// server, TGI, LM Studio): generation with token log-probabilities, and prompt log-likelihood through
/// <c>echo</c> + <c>logprobs</c> where the server supports it.
/// </summary>
public sealed class OpenAICompatibleCompletionClient : ITextCompletionClient
{
    private readonly HttpClient _http;
    private readonly Uri _completionsUri;
    private readonly string? _apiKey;
    private readonly ChatClientMetadata _metadata;

    public OpenAICompatibleCompletionClient(HttpClient http, Uri baseUri, string model, string? apiKey)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(model);
        Model = model;
        _apiKey = apiKey;
        var root = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _completionsUri = new Uri(root, "completions");
        _metadata = new ChatClientMetadata("openai", baseUri, model);
    }

    /// <summary>The model name sent to the server.</summary>
    public string Model { get; }

    /// <inheritdoc />
    public async Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= new TextCompletionOptions();
        var body = new JsonObject
        {
            ["model"] = Model,
            ["prompt"] = prompt,
            ["max_tokens"] = options.MaxOutputTokens ?? 256,
        };
        AddSampling(body, options);
        if (options.IncludeLogProbabilities)
        {
            body["logprobs"] = Math.Max(options.TopLogProbabilities, 1);
        }

        using var document = await PostAsync(body, "raw completion", cancellationToken).ConfigureAwait(false);
        var choice = FirstChoice(document.RootElement);
        var text = choice.TryGetProperty("text", out var textElement) && textElement.ValueKind == JsonValueKind.String
            ? textElement.GetString()!
            : throw new JsonException("the completion has no 'text'");
        IReadOnlyList<TokenLogProbability>? logProbabilities = null;
        if (options.IncludeLogProbabilities && choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
        {
            logProbabilities = ReadTokens(logprobs, 0, int.MaxValue, options.TopLogProbabilities);
        }

        return new TextCompletion
        {
            Text = text,
            FinishReason = choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String ? finish.GetString() : null,
            ModelId = document.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : Model,
            Usage = ReadUsage(document.RootElement),
            LogProbabilities = logProbabilities,
        };
    }

    /// <inheritdoc />
    public async Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(continuation);
        var prompt = context + continuation;
        var body = new JsonObject
        {
            ["model"] = Model,
            ["prompt"] = prompt,
            ["max_tokens"] = 1,
            ["temperature"] = 0,
            ["echo"] = true,
            ["logprobs"] = 1,
        };
        using var document = await PostAsync(body, "prompt log-likelihood", cancellationToken).ConfigureAwait(false);
        var choice = FirstChoice(document.RootElement);
        if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object ||
            !logprobs.TryGetProperty("text_offset", out var offsets) || offsets.ValueKind != JsonValueKind.Array ||
            !logprobs.TryGetProperty("token_logprobs", out var tokenLogprobs) || tokenLogprobs.ValueKind != JsonValueKind.Array ||
            offsets.GetArrayLength() == 0)
        {
            throw NotSupported("prompt log-likelihood", "the server returned no prompt log-probabilities for echo=true, logprobs=1");
        }

        if (!choice.TryGetProperty("text", out var echoed) || echoed.ValueKind != JsonValueKind.String || !echoed.GetString()!.StartsWith(prompt, StringComparison.Ordinal))
        {
            throw NotSupported("prompt log-likelihood", "the server did not echo the prompt (echo=true was ignored)");
        }

        var offsetList = offsets.EnumerateArray().Select(o => o.GetInt32()).ToArray();
        var first = -1;
        for (var i = 0; i < offsetList.Length; i++)
        {
            if (offsetList[i] <= context.Length)
            {
                first = i;
            }
        }

        var end = offsetList.Length;
        while (end > 0 && offsetList[end - 1] >= prompt.Length)
        {
            end--;
        }

        if (first < 0 || first >= end)
        {
            throw NotSupported("prompt log-likelihood", "the server's echoed tokens do not cover the prompt");
        }

        var tokens = ReadTokens(logprobs, first, end, 1);
        double sum = 0;
        var greedy = true;
        var counted = 0;
        foreach (var token in tokens)
        {
            if (double.IsNaN(token.LogProbability))
            {
                continue;
            }

            sum += token.LogProbability;
            counted++;
            if (token.Top is { Count: > 0 } top && top.Max(t => t.LogProbability) > token.LogProbability + 1e-6)
            {
                greedy = false;
            }
        }

        if (counted == 0)
        {
            throw NotSupported("prompt log-likelihood", "the server returned no log-probability for the continuation's tokens");
        }

        return new LogLikelihood(sum, greedy, counted);
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
    }

    private static void AddSampling(JsonObject body, TextCompletionOptions options)
    {
        body["temperature"] = options.Temperature ?? 0;
        if (options.TopP is { } topP)
        {
            body["top_p"] = topP;
        }

        if (options.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        if (options.StopSequences is { Count: > 0 } stop)
        {
            body["stop"] = new JsonArray(stop.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }
    }

    private async Task<JsonDocument> PostAsync(JsonObject body, string capability, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _completionsUri)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(_apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var payload = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var message = ErrorMessage(payload) ?? response.ReasonPhrase ?? "error";
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                throw NotSupported(capability, $"POST {_completionsUri.AbsolutePath} answered HTTP {status}: {message}");
            }

            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => (TimeSpan?)null,
            };
            throw new ModelHttpException(status, message, retryAfter);
        }

        return JsonDocument.Parse(payload);
    }

    private ModelCapabilityNotSupportedException NotSupported(string capability, string detail) =>
        new($"{capability} is not supported by this backend ({_metadata.ProviderUri}): {detail}") { Capability = capability };

    private static JsonElement FirstChoice(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) ||
            choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new JsonException("the reply has no 'choices'");
        }

        return choices[0];
    }

    private static List<TokenLogProbability> ReadTokens(JsonElement logprobs, int start, int end, int top)
    {
        var result = new List<TokenLogProbability>();
        if (!logprobs.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array ||
            !logprobs.TryGetProperty("token_logprobs", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        logprobs.TryGetProperty("top_logprobs", out var tops);
        end = Math.Min(end, Math.Min(tokens.GetArrayLength(), values.GetArrayLength()));
        for (var i = start; i < end; i++)
        {
            var value = values[i].ValueKind == JsonValueKind.Number ? values[i].GetDouble() : double.NaN;
            List<TopLogProbability>? alternatives = null;
            if (top > 0 && tops.ValueKind == JsonValueKind.Array && i < tops.GetArrayLength() && tops[i].ValueKind == JsonValueKind.Object)
            {
                alternatives = [];
                foreach (var property in tops[i].EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Number)
                    {
                        alternatives.Add(new TopLogProbability(property.Name, property.Value.GetDouble()));
                    }
                }
            }

            result.Add(new TokenLogProbability(tokens[i].GetString() ?? string.Empty, value, alternatives));
        }

        return result;
    }

    private static UsageDetails? ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        long? Read(string name) => usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
        return new UsageDetails
        {
            InputTokenCount = Read("prompt_tokens"),
            OutputTokenCount = Read("completion_tokens"),
            TotalTokenCount = Read("total_tokens"),
        };
    }

    private static string? ErrorMessage(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) ? message.GetString() : error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        var trimmed = payload.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length > 200 ? trimmed[..200] : trimmed;
    }
}
