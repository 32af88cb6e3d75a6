using SecForge.Core.Configuration;
using SecForge.Core.Errors;

namespace SecForge.RedTeam.Taxonomy;

/// <summary>The OWASP Top 10 for LLM Applications as data (Resources/owasp-llm-top10.yaml, or a file of the same shape).</summary>
public sealed class OwaspTaxonomy
{
    private static readonly Lazy<OwaspTaxonomy> LazyDefault = new(() =>
    {
        using var stream = typeof(OwaspTaxonomy).Assembly.GetManifestResourceStream("SecForge.RedTeam.Resources.owasp-llm-top10.yaml")
            ?? throw new InvalidOperationException("the OWASP taxonomy is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "owasp-llm-top10.yaml");
    });

    /// <summary>The version every attack and result records ("owasp-llm-2025").</summary>
    public string Current { get; set; } = "";

    public List<OwaspEntry> Entries { get; set; } = [];

    /// <summary>The shipped taxonomy.</summary>
    public static OwaspTaxonomy Default => LazyDefault.Value;

    /// <summary>Parses a taxonomy file; ten entries with ids and names are required.</summary>
    public static OwaspTaxonomy Parse(string yaml, string source)
    {
        var taxonomy = YamlFile.Parse<OwaspTaxonomy>(yaml, source);
        if (string.IsNullOrWhiteSpace(taxonomy.Current) || taxonomy.Entries.Count == 0 || taxonomy.Entries.Any(e => string.IsNullOrWhiteSpace(e.Id) || string.IsNullOrWhiteSpace(e.Name)))
        {
            throw new InputException("a taxonomy needs 'current' and entries with an id and a name", source);
        }

        return taxonomy;
    }

    /// <summary>The entry <paramref name="id"/> ("LLM07"), case-insensitive.</summary>
    public OwaspEntry? Find(string id) => Entries.FirstOrDefault(e => string.Equals(e.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads "all" or a comma-separated list of ids; an unknown id names itself.</summary>
    public IReadOnlyList<OwaspEntry> Select(string selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Entries;
        }

        return selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => Find(id) ?? throw new InputException($"'{id}' is not an OWASP LLM Top 10 id ({string.Join(", ", Entries.Select(e => e.Id))})", null, null, "--owasp"))
            .ToList();
    }
}
