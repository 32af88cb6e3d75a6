namespace SecForge.Models.Completions;

/// <summary>A text completion client that passes every call to an inner client; the base of completion middleware.</summary>
public abstract class DelegatingTextCompletionClient : ITextCompletionClient
{
    protected DelegatingTextCompletionClient(ITextCompletionClient innerClient)
    {
        InnerClient = innerClient ?? throw new ArgumentNullException(nameof(innerClient));
    }

    /// <summary>The client calls are passed to.</summary>
    protected ITextCompletionClient InnerClient { get; }

    /// <inheritdoc />
    public virtual Task<TextCompletion> CompleteAsync(string prompt, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        InnerClient.CompleteAsync(prompt, options, cancellationToken);

    /// <inheritdoc />
    public virtual Task<LogLikelihood> GetLogLikelihoodAsync(string context, string continuation, TextCompletionOptions? options = null, CancellationToken cancellationToken = default) =>
        InnerClient.GetLogLikelihoodAsync(context, continuation, options, cancellationToken);

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerClient.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerClient.Dispose();
        }
    }
}
