namespace SecForge.Models;

/// <summary>The backend cannot do what was asked (raw completion, log-probabilities, prompt scoring); callers fall back or report it.</summary>
public sealed class ModelCapabilityNotSupportedException : NotSupportedException
{
    public ModelCapabilityNotSupportedException()
    {
    }

    public ModelCapabilityNotSupportedException(string message)
        : base(message)
    {
    }

    public ModelCapabilityNotSupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The capability, e.g. "prompt log-likelihood".</summary>
    public string? Capability { get; init; }
}
