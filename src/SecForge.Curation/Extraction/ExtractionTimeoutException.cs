namespace SecForge.Curation.Extraction;

/// <summary>Thrown inside extraction when a page outlasts its time budget; becomes a failed result, never escapes.</summary>
internal sealed class ExtractionTimeoutException : Exception
{
    public ExtractionTimeoutException()
    {
    }

    public ExtractionTimeoutException(string message)
        : base(message)
    {
    }

    public ExtractionTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
