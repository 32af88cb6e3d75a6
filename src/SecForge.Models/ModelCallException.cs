namespace SecForge.Models;

/// <summary>
/// A model request that failed for good: a permanent error, or a transient one that outlasted the bounded retries.
/// Runners catch it and record the item as failed with <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class ModelCallException : Exception
{
    public ModelCallException()
    {
    }

    public ModelCallException(string message)
        : base(message)
    {
    }

    public ModelCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Attempts made, the first included.</summary>
    public int Attempts { get; init; }

    /// <summary>The HTTP status of the last attempt, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>True when the last failure was transient (retries ran out); false when it was permanent.</summary>
    public bool Transient { get; init; }
}
