namespace SecForge.Core.Running;

/// <summary>
/// A model endpoint that cannot be reached at all (connection refused, no route, name not resolved), found by a
/// preflight or by a circuit breaker after consecutive connection failures. Unlike a failed request, which a run
/// records as a failed item, it ends the run: every further item would fail the same way.
/// </summary>
public sealed class EndpointUnreachableException : Exception
{
    public EndpointUnreachableException()
    {
    }

    public EndpointUnreachableException(string message)
        : base(message)
    {
    }

    public EndpointUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EndpointUnreachableException(string endpoint, string reason, Exception? innerException = null)
        : base($"{endpoint} is unreachable: {reason}", innerException)
    {
        Endpoint = endpoint;
        Reason = reason;
    }

    /// <summary>The endpoint (base URL or model name) that could not be reached.</summary>
    public string? Endpoint { get; }

    /// <summary>Why, in a few words ("connection refused").</summary>
    public string? Reason { get; }
}
