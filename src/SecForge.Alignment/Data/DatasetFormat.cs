namespace SecForge.Alignment.Data;

/// <summary>How an instruction dataset lays out its conversations.</summary>
public enum DatasetFormat
{
    /// <summary><c>instruction</c> / <c>input</c> / <c>output</c> (Stanford Alpaca, CyberLLMInstruct).</summary>
    Alpaca,

    /// <summary><c>conversations</c>: a list of <c>{"from": "human"|"gpt"|"system", "value"}</c>.</summary>
    ShareGpt,

    /// <summary><c>messages</c>: a list of <c>{"role": "user"|"assistant"|"system", "content"}</c> (OpenAI chat).</summary>
    Messages,
}

/// <summary>The file container of a dataset.</summary>
public enum DatasetContainer
{
    Jsonl,
    Json,
    Csv,
    Parquet,
}

/// <summary>Parses and names formats and containers.</summary>
public static class DatasetFormats
{
    public static DatasetFormat Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "alpaca" => DatasetFormat.Alpaca,
        "sharegpt" or "share-gpt" => DatasetFormat.ShareGpt,
        "messages" or "openai" or "chat" => DatasetFormat.Messages,
        _ => throw new Core.Errors.InputException($"unknown format '{value}' (alpaca, sharegpt or messages)", null, null, "--format"),
    };

    public static string Name(DatasetFormat format) => format switch
    {
        DatasetFormat.Alpaca => "alpaca",
        DatasetFormat.ShareGpt => "sharegpt",
        _ => "messages",
    };

    /// <summary>The container from the file name: .jsonl (also .gz/.zst), .json, .csv, .parquet.</summary>
    public static DatasetContainer ContainerOf(string path)
    {
        var name = path.ToLowerInvariant();
        foreach (var suffix in new[] { ".gz", ".zst" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
            }
        }

        return Path.GetExtension(name) switch
        {
            ".jsonl" or ".ndjson" => DatasetContainer.Jsonl,
            ".json" => DatasetContainer.Json,
            ".csv" => DatasetContainer.Csv,
            ".parquet" => DatasetContainer.Parquet,
            var other => throw new Core.Errors.InputException($"cannot tell the container from the extension '{other}' (.jsonl, .json, .csv or .parquet)", path),
        };
    }

    public static string Extension(DatasetContainer container) => container switch
    {
        DatasetContainer.Jsonl => ".jsonl",
        DatasetContainer.Json => ".json",
        DatasetContainer.Csv => ".csv",
        _ => ".parquet",
    };
}
