using SecForge.Core.Errors;
using SecForge.Core.IO;

namespace SecForge.Core.Running;

/// <summary>
/// The one run discipline every runner shares: a directory held under an exclusive <see cref="RunLock"/>, a
/// <see cref="RunManifest"/> whose settings must match for a rerun to resume, journals that survive a kill
/// (<see cref="RunJournal{T}"/>), and outputs written atomically. Open it, do the work, dispose it.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private readonly RunLock _lock;

    private RunDirectory(string path, RunManifest manifest, RunLock runLock, bool resumed)
    {
        Path = path;
        Manifest = manifest;
        _lock = runLock;
        Resumed = resumed;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The run's manifest (the first run's creation time on a resume).</summary>
    public RunManifest Manifest { get; }

    /// <summary>True when the directory already held this run's manifest.</summary>
    public bool Resumed { get; }

    /// <summary>The holder of a lock left by a killed process, which this run took over, if any.</summary>
    public RunLockHolder? TookOverFrom => _lock.TakenOverFrom;

    /// <summary>
    /// Opens <paramref name="directory"/> for a run described by <paramref name="manifest"/>: takes the lock, then
    /// checks the manifest. A directory that holds work (any of <paramref name="workPaths"/>, relative to it, exists
    /// and is not empty) under other settings is refused with the settings that differ; one without work is taken
    /// over by the new settings.
    /// </summary>
    public static RunDirectory Open(string directory, RunManifest manifest, params string[] workPaths) =>
        Open(directory, manifest, new RunDirectoryOptions { WorkPaths = workPaths });

    /// <summary>Opens <paramref name="directory"/> as <see cref="Open(string, RunManifest, string[])"/> does, with <paramref name="options"/>.</summary>
    public static RunDirectory Open(string directory, RunManifest manifest, RunDirectoryOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(directory);
        var runLock = RunLock.Acquire(path, $"secforge {manifest.Kind}", options.Scope);
        try
        {
            var (effective, resumed) = Check(path, manifest, options.WorkPaths);
            return new RunDirectory(path, effective, runLock, resumed);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>A path inside the run directory.</summary>
    public string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    /// <summary>Deletes half-written files a killed run left under temporary names in <paramref name="relativeDirectories"/>.</summary>
    public void RemoveStaleTemporaries(params string[] relativeDirectories)
    {
        foreach (var relative in relativeDirectories.Append(string.Empty))
        {
            var directory = File(relative);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
            {
                System.IO.File.Delete(file);
            }
        }
    }

    public void Dispose() => _lock.Dispose();

    private static (RunManifest Manifest, bool Resumed) Check(string path, RunManifest manifest, IReadOnlyList<string> workPaths)
    {
        var manifestPath = System.IO.Path.Combine(path, RunManifest.FileName);
        var hasWork = workPaths.Any(w => HoldsWork(System.IO.Path.Combine(path, w)));
        if (System.IO.File.Exists(manifestPath))
        {
            var previous = RunManifest.Parse(System.IO.File.ReadAllText(manifestPath));
            if (previous is not null && previous.Kind == manifest.Kind && previous.Fingerprint == manifest.Fingerprint)
            {
                return (manifest with { Created = previous.Created, Version = previous.Version }, true);
            }

            if (hasWork)
            {
                if (previous is null)
                {
                    throw new InputException($"the run's manifest is unreadable, so the work in {path} cannot be matched to these settings; choose another --output (or delete the folder)", manifestPath);
                }

                if (previous.Kind != manifest.Kind)
                {
                    throw new InputException($"{path} holds {Article(previous.Kind)} {previous.Kind} run, not {Article(manifest.Kind)} {manifest.Kind} run; choose another --output");
                }

                var differences = manifest.DifferencesFrom(previous);
                throw new InputException($"{path} holds {Article(manifest.Kind)} {manifest.Kind} run with other settings ({string.Join("; ", differences.Take(4))}{(differences.Count > 4 ? $"; {differences.Count - 4} more" : string.Empty)}); rerun with the same settings to resume, or choose another --output");
            }
        }
        else if (hasWork)
        {
            throw new InputException($"{path} holds work from an unknown run (no {RunManifest.FileName}); choose another --output (or delete the folder)");
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJson());
        AtomicFile.Write(manifestPath, stream => stream.Write(bytes));
        return (manifest, false);
    }

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(word[0]), StringComparison.Ordinal) ? "an" : "a";

    private static bool HoldsWork(string path) =>
        (System.IO.File.Exists(path) && new FileInfo(path).Length > 0)
        || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any(e => !System.IO.Path.GetFileName(e).StartsWith('.')));
}
