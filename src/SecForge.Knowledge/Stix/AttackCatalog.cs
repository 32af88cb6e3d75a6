using System.Text.Json;

namespace SecForge.Knowledge.Stix;

/// <summary>The kinds of object an ATT&amp;CK or CAPEC bundle carries that the knowledge base keeps.</summary>
public enum StixKind
{
    Technique,
    Tactic,
    Group,
    Software,
    Campaign,
    Mitigation,
    DataComponent,
    DetectionStrategy,
    AttackPattern,
}

/// <summary>An ATT&amp;CK or CAPEC object: its public id (T1059.001, TA0002, G0016, S0002, M1036, C0011, CAPEC-66) and what a reader needs.</summary>
public sealed record StixEntity(
    string StixId,
    string? ExternalId,
    StixKind Kind,
    string Name,
    string Description,
    bool Revoked,
    bool Deprecated,
    IReadOnlyList<string> Tactics,
    IReadOnlyList<string> Platforms,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> References,
    string? Version = null)
{
    /// <summary>T1059.001 and the like: a technique under another.</summary>
    public bool IsSubtechnique => Kind == StixKind.Technique && ExternalId?.Contains('.', StringComparison.Ordinal) == true;
}

/// <summary>A STIX relationship: <c>uses</c>, <c>mitigates</c>, <c>subtechnique-of</c>, <c>detects</c>, <c>revoked-by</c>, ...</summary>
public sealed record StixRelationship(string Source, string Type, string Target, string Description);

/// <summary>
/// The entities and relationships of one or more ATT&amp;CK (Enterprise, Mobile, ICS; STIX 2.0) or CAPEC (STIX 2.1)
/// bundles, looked up by public id or STIX id. Revoked objects stay, and <see cref="Current"/> follows their
/// <c>revoked-by</c> relationships to the object that replaced them.
/// </summary>
public sealed class AttackCatalog
{
    private readonly Dictionary<string, StixEntity> _byStixId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StixEntity>> _byExternalId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _revokedBy = new(StringComparer.Ordinal);
    private readonly List<StixRelationship> _relationships = [];
    private readonly List<string> _failures = [];

    public IReadOnlyCollection<StixEntity> Entities => _byStixId.Values;

    public IReadOnlyList<StixRelationship> Relationships => _relationships;

    /// <summary>Entries that could not be used, each with its place and reason.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>The latest <c>modified</c> date of any object: the version of the data as a whole.</summary>
    public string? LatestModified { get; private set; }

    /// <summary>Objects of kinds the catalog does not keep (identities, marking definitions, analytics, ...).</summary>
    public long Ignored { get; private set; }

    /// <summary>Adds the objects of a bundle file; entry failures are counted, a fatal one ends the file.</summary>
    public void AddFile(string path)
    {
        foreach (var read in StixBundleReader.ReadFile(path))
        {
            if (read.Object is { } element)
            {
                Add(element, path, read.Index);
            }
            else
            {
                _failures.Add($"{path}: objects[{read.Index}]: {read.Error}");
            }
        }
    }

    /// <summary>Adds one STIX object.</summary>
    public void Add(JsonElement element, string source = "", long index = 0)
    {
        var type = Text(element, "type");
        var id = Text(element, "id");
        if (type is null || id is null)
        {
            _failures.Add($"{source}: objects[{index}]: no 'type' or 'id'");
            return;
        }

        if (Text(element, "modified") is { } modified && string.CompareOrdinal(modified, LatestModified) > 0)
        {
            LatestModified = modified;
        }

        if (type == "relationship")
        {
            var from = Text(element, "source_ref");
            var to = Text(element, "target_ref");
            var kind = Text(element, "relationship_type");
            if (from is null || to is null || kind is null)
            {
                _failures.Add($"{source}: objects[{index}] ({id}): a relationship needs source_ref, target_ref and relationship_type");
                return;
            }

            if (kind == "revoked-by")
            {
                _revokedBy[from] = to;
            }

            _relationships.Add(new StixRelationship(from, kind, to, Text(element, "description") ?? string.Empty));
            return;
        }

        StixKind? entityKind = type switch
        {
            "attack-pattern" => ExternalId(element, "mitre-attack") is null && ExternalId(element, "mitre-mobile-attack") is null && ExternalId(element, "mitre-ics-attack") is null && ExternalId(element, "capec") is not null ? StixKind.AttackPattern : StixKind.Technique,
            "x-mitre-tactic" => StixKind.Tactic,
            "intrusion-set" => StixKind.Group,
            "malware" or "tool" => StixKind.Software,
            "campaign" => StixKind.Campaign,
            "course-of-action" => StixKind.Mitigation,
            "x-mitre-data-component" => StixKind.DataComponent,
            "x-mitre-detection-strategy" => StixKind.DetectionStrategy,
            _ => null,
        };
        if (entityKind is not { } k)
        {
            Ignored++;
            return;
        }

        var entity = new StixEntity(
            id,
            k == StixKind.AttackPattern ? ExternalId(element, "capec") : ExternalId(element, "mitre-attack") ?? ExternalId(element, "mitre-mobile-attack") ?? ExternalId(element, "mitre-ics-attack"),
            k,
            Text(element, "name") ?? string.Empty,
            Text(element, "description") ?? string.Empty,
            element.TryGetProperty("revoked", out var revoked) && revoked.ValueKind == JsonValueKind.True,
            element.TryGetProperty("x_mitre_deprecated", out var deprecated) && deprecated.ValueKind == JsonValueKind.True,
            Phases(element),
            Strings(element, "x_mitre_platforms"),
            Strings(element, "aliases").Concat(Strings(element, "x_mitre_aliases")).Distinct(StringComparer.Ordinal).ToList(),
            References(element),
            Text(element, "x_mitre_version") is { } version ? "v" + version : Text(element, "modified"));
        _byStixId[id] = entity;
        if (entity.ExternalId is { } external)
        {
            if (!_byExternalId.TryGetValue(external, out var list))
            {
                _byExternalId[external] = list = [];
            }

            list.Add(entity);
        }
    }

    /// <summary>The entity with STIX id <paramref name="stixId"/>, or null.</summary>
    public StixEntity? ByStixId(string stixId) => _byStixId.GetValueOrDefault(stixId);

    /// <summary>
    /// The entity with public id <paramref name="externalId"/> (T1059.001, G0016, CAPEC-66): the one that is not
    /// revoked where several objects share the id, else the replacement of the revoked one.
    /// </summary>
    public StixEntity? Find(string externalId)
    {
        if (!_byExternalId.TryGetValue(externalId, out var list))
        {
            return null;
        }

        return list.FirstOrDefault(e => !e.Revoked) ?? Current(list[0]);
    }

    /// <summary><paramref name="entity"/> itself, or for a revoked one the entity that replaced it (following chains).</summary>
    public StixEntity Current(StixEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = entity;
        while (current.Revoked && _revokedBy.TryGetValue(current.StixId, out var next) && seen.Add(current.StixId) && _byStixId.TryGetValue(next, out var replacement))
        {
            current = replacement;
        }

        return current;
    }

    /// <summary>Relationships of <paramref name="type"/> from <paramref name="entity"/> to the entities they reach.</summary>
    public IEnumerable<StixEntity> Related(StixEntity entity, string type)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return _relationships.Where(r => r.Source == entity.StixId && r.Type == type).Select(r => ByStixId(r.Target)).OfType<StixEntity>();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static List<string> Phases(JsonElement element) =>
        element.TryGetProperty("kill_chain_phases", out var phases) && phases.ValueKind == JsonValueKind.Array
            ? phases.EnumerateArray().Select(p => Text(p, "phase_name")).OfType<string>().ToList()
            : [];

    private static List<JsonElement> ExternalReferences(JsonElement element) =>
        element.TryGetProperty("external_references", out var references) && references.ValueKind == JsonValueKind.Array ? [.. references.EnumerateArray()] : [];

    private static string? ExternalId(JsonElement element, string sourceName) =>
        ExternalReferences(element).Where(r => r.ValueKind == JsonValueKind.Object && Text(r, "source_name") == sourceName).Select(r => Text(r, "external_id")).FirstOrDefault(id => id is not null);

    /// <summary>Other ids and links the object cites: CWE and ATT&amp;CK ids on CAPEC patterns, CAPEC ids on techniques, URLs.</summary>
    private static List<string> References(JsonElement element) =>
        ExternalReferences(element).Where(r => r.ValueKind == JsonValueKind.Object)
            .Select(r => (Text(r, "source_name"), Text(r, "external_id")) switch
            {
                ("cwe" or "capec", { } id) => id,
                ("ATTACK", { } id) => char.IsDigit(id[0]) ? "T" + id : id,
                _ => Text(r, "url"),
            })
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
