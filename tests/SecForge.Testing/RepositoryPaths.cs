namespace SecForge.Testing;

/// <summary>Finds the repository root and the shared data folder beside it (<c>../shared/data</c>).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SecForge.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SecForge.slnx not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding SecForge.slnx.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>
    /// The shared data folder: <c>SECFORGE_SHARED_DATA</c> if set, else <c>../shared/data</c> beside the repository.
    /// Null when absent, so tests can skip with a reason.
    /// </summary>
    public static string? SharedData
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("SECFORGE_SHARED_DATA");
            var path = string.IsNullOrEmpty(configured) ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "data")) : configured;
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A folder of the shared data, or null when it is absent.</summary>
    public static string? SharedDataFolder(string name) =>
        SharedData is { } data && Directory.Exists(Path.Combine(data, name)) ? Path.Combine(data, name) : null;

    /// <summary>The git-ignored folder where .ci/run installs npm packages the tests use.</summary>
    public static string NodeModules => Path.Combine(Root, "tools", "node_modules");
}
