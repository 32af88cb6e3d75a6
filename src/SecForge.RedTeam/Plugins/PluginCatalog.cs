using SecForge.Core.Configuration;
using SecForge.Core.Taxonomy;

namespace SecForge.RedTeam.Plugins;

/// <summary>The shipped plugins: one seed file per OWASP category, the cyber-harm categories and the benign set.</summary>
public static class PluginCatalog
{
    private static readonly Lazy<IReadOnlyList<PluginSeedFile>> LazyAll = new(() =>
    {
        var assembly = typeof(PluginCatalog).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("SecForge.RedTeam.Resources.seeds.", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return YamlFile.Parse<PluginSeedFile>(reader.ReadToEnd(), name);
            })
            .ToList();
    });

    /// <summary>Every shipped plugin.</summary>
    public static IReadOnlyList<PluginSeedFile> All => LazyAll.Value;

    /// <summary>The seed intents of each cyber-harm category; every key of the seed file must name a <see cref="CyberHarm"/>.</summary>
    public static IReadOnlyDictionary<CyberHarm, List<string>> HarmIntents => LazyHarms.Value;

    private static readonly Lazy<IReadOnlyDictionary<CyberHarm, List<string>>> LazyHarms = new(() =>
        All.Single(p => p.Plugin == "cyber-harm").Categories!.ToDictionary(
            p => CyberHarms.TryParse(p.Key, out var harm) ? harm : throw new InvalidDataException($"cyber-harm.yaml: '{p.Key}' is not a harm category ({string.Join(", ", CyberHarms.Names)})"),
            p => p.Value));
}
