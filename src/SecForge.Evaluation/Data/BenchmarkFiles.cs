using SecForge.Core.Errors;

namespace SecForge.Evaluation.Data;

/// <summary>
/// Finds a benchmark's files under the folder the user names with <c>--data</c>, searched recursively for the
/// file names the benchmarks distribute them under (case-insensitive), so a cloned repository or a folder of
/// downloads both work.
/// </summary>
public sealed class BenchmarkFiles
{
    private readonly Dictionary<string, List<string>> _byName;

    public BenchmarkFiles(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new InputException("the data folder does not exist", root);
        }

        Root = Path.GetFullPath(root);
        _byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        foreach (var file in Directory.EnumerateFiles(Root, "*", options))
        {
            var name = Path.GetFileName(file);
            if (!_byName.TryGetValue(name, out var list))
            {
                _byName[name] = list = [];
            }

            list.Add(file);
        }

        foreach (var list in _byName.Values)
        {
            // Shortest path first: data/cti-mcq.tsv before some/copy/deeper/cti-mcq.tsv; ordinal for ties.
            list.Sort((a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b));
        }
    }

    /// <summary>The folder searched.</summary>
    public string Root { get; }

    /// <summary>The first file named <paramref name="name"/>, or null.</summary>
    public string? Find(string name) => _byName.TryGetValue(name, out var list) ? list[0] : null;

    /// <summary>The first file with any of <paramref name="names"/>, or null.</summary>
    public string? FindAny(IEnumerable<string> names) => names.Select(Find).FirstOrDefault(f => f is not null);

    /// <summary>The file named <paramref name="name"/>; missing, an <see cref="InputException"/> that says what was looked for where.</summary>
    public string Require(string name, string task) =>
        Find(name) ?? throw new InputException($"task {task} needs the file '{name}' somewhere under the data folder; download it from the benchmark's repository", Root);
}
