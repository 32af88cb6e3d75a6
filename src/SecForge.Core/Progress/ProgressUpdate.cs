namespace SecForge.Core.Progress;

/// <summary>
/// A snapshot of long work that libraries report through <see cref="IProgress{T}"/>; the command line renders it
/// as a progress bar on a terminal or as periodic plain lines elsewhere.
/// </summary>
/// <param name="Task">What is being done, e.g. "eval ctibench-mcq".</param>
/// <param name="Completed">Units done so far.</param>
/// <param name="Total">Units in all, when known.</param>
/// <param name="Unit">What a unit is: "samples", "documents", "requests".</param>
/// <param name="Failed">Units that failed so far.</param>
/// <param name="Detail">A short extra line (current shard, cache hits), if any.</param>
public sealed record ProgressUpdate(string Task, long Completed, long? Total, string Unit, long Failed = 0, string? Detail = null);
