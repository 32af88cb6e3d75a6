namespace SecForge.Models;

/// <summary>A non-success HTTP answer from a model server, with what the retry policy needs to know.</summary>
public sealed class ModelHttpException : Exception
{
    public ModelHttpException()
    {
    }

    public ModelHttpException(string message)
        : base(message)
    {
    }

    public ModelHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelHttpException(int statusCode, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
