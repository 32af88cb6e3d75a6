using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using SecForge.Models.Completions;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;

namespace SecForge.Models.Diagnostics;

/// <summary>
/// Finds out what a model can do — reachable, chat, raw completion, token log-probabilities, prompt
/// log-likelihood — and how fast it answers, with a handful of small requests.
/// </summary>
public static class ModelProbe
{
    private const string Question = "Reply with one word: which protocol does HTTPS add to HTTP?";

    /// <summary>Checks <paramref name="model"/>.</summary>
    public static async Task<ModelCheckResult> CheckAsync(ResolvedModel model, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var backend = model.Spec.Backend switch { ModelBackend.Gguf => "gguf", ModelBackend.OpenAICompatible => "openai-compatible", _ => "in-process" };
        var endpoint = model.Spec.Backend switch
        {
            ModelBackend.Gguf => Path.GetFullPath(model.Spec.Path!),
            ModelBackend.OpenAICompatible => model.Spec.BaseUri!.AbsoluteUri,
            _ => "in-process",
        };
        if (model.Spec.Backend == ModelBackend.OpenAICompatible && await UnreachableAsync(model, timeout, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return new ModelCheckResult { Model = model.Name, Backend = backend, Endpoint = endpoint, Reachable = false, Problem = problem };
        }

        using var connection = ModelFactory.Connect(model, new ModelRuntimeOptions
        {
            Concurrency = 1,
            Timeout = timeout,
            Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(200) },
        });
        var checks = new List<CapabilityCheck>();
        double? latency = null;
        double? tokensPerSecond = null;

        var chat = await TryAsync(async () =>
        {
            var watch = Stopwatch.StartNew();
            var response = await connection.Chat.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 8, Temperature = 0 }, cancellationToken).ConfigureAwait(false);
            latency = watch.Elapsed.TotalMilliseconds;
            return $"replied {Quote(response.Text)} in {latency:0} ms";
        }).ConfigureAwait(false);
        checks.Add(new CapabilityCheck("chat", chat.Status, chat.Detail));

        if (chat.Status == CapabilityStatus.Supported)
        {
            // Speed is measured on a longer reply; a failure here leaves tokens/s empty, it is not a capability.
            await TryAsync(async () =>
            {
                var watch = Stopwatch.StartNew();
                var response = await connection.Chat.GetResponseAsync("Explain in detail how TLS protects a web session.", new ChatOptions { MaxOutputTokens = 64, Temperature = 0 }, cancellationToken).ConfigureAwait(false);
                var tokens = response.Usage?.OutputTokenCount ?? 0;
                tokensPerSecond = tokens > 0 ? tokens / watch.Elapsed.TotalSeconds : null;
                return $"{tokens} tokens in {watch.Elapsed.TotalMilliseconds:0} ms";
            }).ConfigureAwait(false);

            var logprobs = await TryAsync(async () =>
            {
                var response = await connection.Chat.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 }.WithLogProbabilities(2), cancellationToken).ConfigureAwait(false);
                return response.GetLogProbabilities() is { Count: > 0 } values
                    ? $"{values.Count} tokens, first {Quote(values[0].Token)} at {values[0].LogProbability:0.###}"
                    : throw new ModelCapabilityNotSupportedException("the server returned no log-probabilities when asked for them");
            }).ConfigureAwait(false);
            checks.Add(new CapabilityCheck("logprobs", logprobs.Status, logprobs.Detail));
        }
        else
        {
            checks.Add(new CapabilityCheck("logprobs", CapabilityStatus.Failed, "not tried: chat failed"));
        }

        var completion = await TryAsync(async () =>
        {
            var result = await connection.Completion.CompleteAsync("The three pillars of information security are", new TextCompletionOptions { MaxOutputTokens = 8, Temperature = 0 }, cancellationToken).ConfigureAwait(false);
            return $"continued with {Quote(result.Text)}";
        }).ConfigureAwait(false);
        checks.Insert(1, new CapabilityCheck("raw completion", completion.Status, completion.Detail));

        var likelihood = await TryAsync(async () =>
        {
            var result = await connection.Completion.GetLogLikelihoodAsync("The answer is", " B", cancellationToken: cancellationToken).ConfigureAwait(false);
            return $"log P(' B' | 'The answer is') = {result.LogProbability:0.###} over {result.TokenCount} token(s)";
        }).ConfigureAwait(false);
        checks.Add(new CapabilityCheck("prompt log-likelihood", likelihood.Status, likelihood.Detail));

        return new ModelCheckResult
        {
            Model = model.Name,
            Backend = backend,
            Endpoint = endpoint,
            Reachable = true,
            Warnings = connection.Warnings,
            Capabilities = checks,
            LatencyMs = latency,
            TokensPerSecond = tokensPerSecond,
        };
    }

    private static async Task<string?> UnreachableAsync(ResolvedModel model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout < TimeSpan.FromSeconds(15) ? timeout : TimeSpan.FromSeconds(15) };
        var root = model.Spec.BaseUri!.AbsoluteUri.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root + "/models"));
        if (model.Definition.ApiKeyEnv is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode is 401 or 403
                ? $"{root} refused the credentials (HTTP {(int)response.StatusCode}): set api_key_env for this model in secforge.yaml"
                : null;
        }
        catch (HttpRequestException exception)
        {
            return $"cannot reach {root}: {exception.InnerException?.Message ?? exception.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"cannot reach {root}: no answer within {http.Timeout.TotalSeconds:0} s";
        }
    }

    private static async Task<(CapabilityStatus Status, string Detail)> TryAsync(Func<Task<string>> probe)
    {
        try
        {
            return (CapabilityStatus.Supported, await probe().ConfigureAwait(false));
        }
        catch (ModelCapabilityNotSupportedException exception)
        {
            return (CapabilityStatus.NotSupported, exception.Message);
        }
        catch (ModelCallException exception)
        {
            return (CapabilityStatus.Failed, exception.Message);
        }
    }

    private static string Quote(string text)
    {
        var single = text.ReplaceLineEndings(" ").Trim();
        return "\"" + (single.Length > 40 ? single[..40] + "…" : single) + "\"";
    }
}
