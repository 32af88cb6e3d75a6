using System.Text.Json;
using SecForge.Core.Errors;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// CTIBench's threat-actor attribution scoring, as its evaluation notebook computes it: a prediction is correct when
/// a breadth-first search from the gold actor over the (symmetrised) alias graph reaches it, and plausible when the
/// search over aliases and related groups does. Two details of that search decide published figures: a name reaches
/// itself only through an edge (an actor with no alias is not "correct" even when named exactly), and the "nan"
/// entries the graphs hold where a group had no related groups are names like any other, so groups that share "nan"
/// are related (GPT-4's plausible accuracy is 0.86 with them, 0.84 without). Names are lower-cased and trimmed.
/// The graphs come from the benchmark's <c>taa_alias_dict.json</c> and <c>taa_related_dict.json</c>.
/// </summary>
public sealed class ThreatActorGraph
{
    private readonly Dictionary<string, int> _aliasComponent;
    private readonly Dictionary<string, int> _relatedComponent;

    private ThreatActorGraph(Dictionary<string, List<string>> aliases, Dictionary<string, List<string>> related)
    {
        _aliasComponent = Components(aliases, null);
        _relatedComponent = Components(aliases, related);
        Names = _relatedComponent.Keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every name in either graph, normalised.</summary>
    public IReadOnlySet<string> Names { get; }

    /// <summary>Reads the two graphs; an entry that is not a list of strings names the file and actor.</summary>
    public static ThreatActorGraph Load(string aliasPath, string relatedPath) => new(ReadGraph(aliasPath), ReadGraph(relatedPath));

    /// <summary>Builds the graphs from dictionaries (tests, custom data).</summary>
    public static ThreatActorGraph From(IReadOnlyDictionary<string, string[]> aliases, IReadOnlyDictionary<string, string[]> related) =>
        new(aliases.ToDictionary(p => p.Key, p => p.Value.ToList()), related.ToDictionary(p => p.Key, p => p.Value.ToList()));

    /// <summary>Lower-case and trimmed, as the notebook compares names.</summary>
    public static string Normalize(string name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    /// <summary>True when <paramref name="predicted"/> reaches <paramref name="gold"/> through aliases.</summary>
    public bool IsCorrect(string? predicted, string gold) => Reaches(_aliasComponent, predicted, gold);

    /// <summary>True when <paramref name="predicted"/> reaches <paramref name="gold"/> through aliases and related groups.</summary>
    public bool IsPlausible(string? predicted, string gold) => Reaches(_relatedComponent, predicted, gold);

    private static bool Reaches(Dictionary<string, int> components, string? predicted, string gold)
    {
        if (string.IsNullOrWhiteSpace(predicted))
        {
            return false;
        }

        var p = Normalize(predicted);
        var g = Normalize(gold);

        // The search starts at the gold actor and looks at its neighbours: the actor itself is found only by coming
        // back to it over an edge, which every actor with at least one edge has (the graph is symmetric).
        return components.TryGetValue(g, out var b) && b >= 0 && components.TryGetValue(p, out var a) && a == b;
    }

    private static Dictionary<string, int> Components(Dictionary<string, List<string>> first, Dictionary<string, List<string>>? second)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        void Add(string x)
        {
            parent.TryAdd(x, x);
        }

        void Union(string a, string b)
        {
            Add(a);
            Add(b);
            var ra = Find(a);
            var rb = Find(b);
            if (ra != rb)
            {
                parent[string.CompareOrdinal(ra, rb) < 0 ? rb : ra] = string.CompareOrdinal(ra, rb) < 0 ? ra : rb;
            }
        }

        foreach (var graph in second is null ? [first] : new[] { first, second })
        {
            foreach (var (actor, names) in graph)
            {
                var key = Normalize(actor);
                if (key.Length == 0)
                {
                    continue;
                }

                Add(key);
                foreach (var name in names)
                {
                    var other = Normalize(name);
                    if (other.Length > 0)
                    {
                        Union(key, other);
                    }
                }
            }
        }

        // A component of one name (an actor listed with no edge at all) reaches nothing, not even itself: -1.
        var sizes = parent.Keys.GroupBy(Find, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in parent.Keys)
        {
            var root = Find(name);
            if (sizes[root] == 1 && !HasSelfEdge(name))
            {
                result[name] = -1;
                continue;
            }

            if (!ids.TryGetValue(root, out var id))
            {
                ids[root] = id = ids.Count;
            }

            result[name] = id;
        }

        return result;

        bool HasSelfEdge(string name) => (second is null ? [first] : new[] { first, second })
            .Any(graph => graph.Any(p => Normalize(p.Key) == name && p.Value.Any(v => Normalize(v) == name)));
    }

    private static Dictionary<string, List<string>> ReadGraph(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new InputException($"not valid JSON: {exception.Message}", path, exception.LineNumber + 1);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("expected a JSON object of actor → list of names", path);
            }

            var graph = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                {
                    throw new InputException("expected a list of names", path, null, property.Name);
                }

                graph[property.Name] = property.Value.EnumerateArray().Select(v => v.GetString()!).ToList();
            }

            return graph;
        }
    }
}
