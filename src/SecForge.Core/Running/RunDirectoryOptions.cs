namespace SecForge.Core.Running;

/// <summary>How a <see cref="RunDirectory"/> is opened.</summary>
public sealed record RunDirectoryOptions
{
    /// <summary>Paths, relative to the run directory, whose presence (non-empty) means work was done.</summary>
    public IReadOnlyList<string> WorkPaths { get; init; } = [];

    /// <summary>
    /// Locks one part of the directory instead of all of it: one rank of a distributed run. Parts can run at once;
    /// each part has one writer.
    /// </summary>
    public string? Scope { get; init; }
}
