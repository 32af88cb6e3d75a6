using System.Globalization;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.Core.Running;

/// <summary>
/// An exclusive lock on a run directory, so two runs never write into one folder at once. It is an advisory lock
/// held by an open file (flock on Unix): the operating system drops it when the holder exits, however it exits,
/// so a lock left by a killed process is taken over by the next run. Who holds it is written beside it.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file's name inside the run directory.</summary>
    public const string FileName = ".secforge.lock";

    private readonly FileStream _handle;
    private readonly string _holderPath;
    private bool _disposed;

    private RunLock(FileStream handle, string holderPath, RunLockHolder? stale)
    {
        _handle = handle;
        _holderPath = holderPath;
        TakenOverFrom = stale;
    }

    /// <summary>The holder of a lock that was left behind by a process that no longer holds it, if any.</summary>
    public RunLockHolder? TakenOverFrom { get; }

    /// <summary>
    /// Takes the lock on <paramref name="directory"/> (created if missing) for <paramref name="purpose"/>, or throws
    /// <see cref="InputException"/> with one line naming the process that holds it. A <paramref name="scope"/> locks
    /// one part of the directory instead (one rank of a distributed run, one output file), so parts can be worked
    /// on at once while each has one writer.
    /// </summary>
    public static RunLock Acquire(string directory, string purpose, string? scope = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var suffix = scope is null ? string.Empty : "." + scope;
        var lockPath = Path.Combine(directory, FileName + suffix);
        var holderPath = Path.Combine(directory, $".secforge.lock{suffix}.json");
        FileStream handle;
        try
        {
            // FileShare.None takes an exclusive flock on Unix (and a sharing lock on Windows).
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            var holder = ReadHolder(holderPath);
            var who = holder is null
                ? "another process"
                : $"process {holder.ProcessId} on {holder.Host} ({holder.Purpose}, since {holder.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)})";
            var what = scope is null ? directory : $"{Path.Combine(directory, scope)}";
            throw new InputException($"{what} is in use by {who}; wait for it to finish or choose another --output");
        }

        try
        {
            var stale = ReadHolder(holderPath);
            var mine = new RunLockHolder(Environment.ProcessId, Environment.MachineName, purpose, DateTimeOffset.UtcNow);
            AtomicFile.Write(holderPath, stream => JsonSerializer.Serialize(stream, mine, SecForgeJson.Indented));
            return new RunLock(handle, holderPath, stale);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock and removes the holder description.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            File.Delete(_holderPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _handle.Dispose();
    }

    private static RunLockHolder? ReadHolder(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunLockHolder>(File.ReadAllText(path), SecForgeJson.Compact) : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Who holds a run directory's lock.</summary>
public sealed record RunLockHolder(int ProcessId, string Host, string Purpose, DateTimeOffset Started);
