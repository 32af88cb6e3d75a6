using System.Diagnostics;
using SecForge.Models.Completions;

namespace SecForge.Models.Middleware;

/// <summary>Counts each raw completion call in a <see cref="ModelUsage"/>.</summary>
public sealed class UsageTrackingTextCompletionClient(ITextCompletionClient innerClient, ModelUsage usage) : DelegatingTextCompletionClient(innerClient)
{
    private readonly ModelUsage _usage = usage ?? throw new ArgumentNullException(nameof(usage));

    /// <inheritdoc />
    public override async Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        TextCompletion? result = null;
        try
        {
            result = await base.CompleteAsync(prompt, options, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _usage.RecordCall(Stopwatch.GetTimestamp() - started, result?.Usage?.InputTokenCount, result?.Usage?.OutputTokenCount);
        }
    }

    /// <inheritdoc />
    public override async Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        LogLikelihood? result = null;
        try
        {
            result = await base.GetLogLikelihoodAsync(context, continuation, options, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _usage.RecordCall(Stopwatch.GetTimestamp() - started, null, null);
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ModelUsage) && serviceKey is null ? _usage : base.GetService(serviceType, serviceKey);
}
