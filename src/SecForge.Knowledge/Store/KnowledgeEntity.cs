namespace SecForge.Knowledge.Store;

/// <summary>
/// An entity of the knowledge base under its public id (T1059.001, TA0002, G0016, S0002, M1036, CAPEC-66,
/// CVE-2021-44228, kev:CVE-2021-44228), with the source file and version it came from. A revoked ATT&amp;CK object
/// keeps its id and names its replacement in <see cref="RevokedBy"/>. <see cref="Data"/> holds what else the source
/// says, as JSON (CVSS scores and affected products of a CVE, dates of a KEV entry, tactics of a technique).
/// </summary>
public sealed record KnowledgeEntity(string Id, string Type, string Name, string Description, string Source, string Version, string? RevokedBy = null, string? Url = null, string? Data = null);

/// <summary>A directed relation between two ids: <c>uses</c>, <c>mitigates</c>, <c>subtechnique-of</c>, <c>weakness</c>, <c>listed-in-kev</c>, ...</summary>
public sealed record KnowledgeRelation(string From, string Type, string To, string Source);

/// <summary>A relation seen from one entity: the other end, which way it points, and the other end's name where known.</summary>
public sealed record RelatedEntity(string Relation, string Direction, string Id, string? Type, string? Name);

/// <summary>One search result.</summary>
public sealed record SearchHit(string Id, string Type, string Name, double Score);

/// <summary>What the knowledge base holds.</summary>
public sealed record KnowledgeStats(IReadOnlyDictionary<string, long> EntitiesByType, long Relations, long Vectors, IReadOnlyDictionary<string, string> Sources);
