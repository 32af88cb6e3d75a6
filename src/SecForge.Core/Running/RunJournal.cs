using System.Runtime.CompilerServices;
using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.Core.Running;

/// <summary>Opens and reads <see cref="RunJournal{T}"/> files.</summary>
public static class RunJournal
{
    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>. <paramref name="key"/> names an entry's unit of
    /// work and <paramref name="isFinished"/> tells whether it is done (a failed entry is not); each existing entry
    /// is also passed to <paramref name="onEntry"/>, in file order.
    /// </summary>
    public static async Task<RunJournal<T>> OpenAsync<T>(
        string path,
        Func<T, string>? key = null,
        Func<T, bool>? isFinished = null,
        Action<T>? onEntry = null,
        JsonSerializerOptions? options = null,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= SecForgeJson.Compact;
        var repaired = JsonlWriter.TruncateTornTail(path);
        long count = 0, malformed = 0;
        var finished = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            await foreach (var record in JsonlReader.ReadAsync<T>(path, options, cancellationToken).ConfigureAwait(false))
            {
                if (record.Value is not { } entry)
                {
                    malformed++;
                    continue;
                }

                count++;
                onEntry?.Invoke(entry);
                if (key is not null)
                {
                    if (isFinished?.Invoke(entry) ?? true)
                    {
                        finished.Add(key(entry));
                    }
                    else
                    {
                        finished.Remove(key(entry));
                    }
                }
            }
        }

        return new RunJournal<T>(path, JsonlWriter.OpenAppend(path, options), count, malformed, repaired, finished);
    }

    /// <summary>Reads the readable entries of a journal (torn or malformed lines skipped) without opening it for writing.</summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(string path, JsonSerializerOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        await foreach (var record in JsonlReader.ReadAsync<T>(path, options ?? SecForgeJson.Compact, cancellationToken).ConfigureAwait(false))
        {
            if (record.Value is { } entry)
            {
                yield return entry;
            }
        }
    }
}
