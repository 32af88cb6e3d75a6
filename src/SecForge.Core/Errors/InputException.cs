namespace SecForge.Core.Errors;

/// <summary>
/// Bad input a user can fix: names the file, the record (line or index) and the field that caused it.
/// The command line maps it to exit code 2.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message)
        : base(message)
    {
    }

    public InputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InputException(string message, string? path, long? record = null, string? field = null, Exception? innerException = null)
        : base(Compose(message, path, record, field), innerException)
    {
        Path = path;
        Record = record;
        Field = field;
        Detail = message;
    }

    public InputException()
    {
    }

    /// <summary>The file the bad input came from, if any.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line or record number, if known.</summary>
    public long? Record { get; }

    /// <summary>The field that was missing or malformed, if known.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location (the message is location + detail).</summary>
    public string? Detail { get; }

    private static string Compose(string message, string? path, long? record, string? field)
    {
        var location = path;
        if (record is not null)
        {
            location = location is null ? $"record {record}" : $"{location}:{record}";
        }

        if (field is not null)
        {
            location = location is null ? $"field '{field}'" : $"{location}: field '{field}'";
        }

        return location is null ? message : $"{location}: {message}";
    }
}
