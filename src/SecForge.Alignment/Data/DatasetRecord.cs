using System.Text.Json.Nodes;

namespace SecForge.Alignment.Data;

/// <summary>
/// One record of a dataset as read: its position, its JSON form (CSV rows and Parquet rows are converted to JSON
/// objects), and for Parquet the row as the library returned it, so writing back keeps the file's own types.
/// A record that could not be read carries the error instead.
/// </summary>
public sealed class DatasetRecord
{
    /// <summary>0-based position in the dataset.</summary>
    public required long Index { get; init; }

    /// <summary>Line (JSONL, CSV) or row (JSON, Parquet) number for messages, 1-based.</summary>
    public required long Line { get; init; }

    public JsonObject? Data { get; init; }

    /// <summary>The Parquet row (a dictionary of column values), when read from Parquet.</summary>
    public IDictionary<string, object?>? Native { get; init; }

    public string? Error { get; init; }
}

/// <summary>
/// One user turn and the assistant reply that answers it. <see cref="Path"/> locates the reply inside the record
/// (for example <c>["output"]</c> or <c>["conversations", 3, "value"]</c>) so a rewrite replaces exactly it.
/// </summary>
public sealed record Exchange(IReadOnlyList<object> Path, string? System, string Instruction, string Input, string Response)
{
    /// <summary>The request as the model saw it: instruction, then input when there is one.</summary>
    public string Prompt => Input.Length == 0 ? Instruction : Instruction + "\n\n" + Input;
}
