using SecForge.Core.Configuration;

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

    /// <summary>The cyber-harm categories.</summary>
    public static IReadOnlyList<string> Harms => All.Single(p => p.Plugin == "cyber-harm").Categories!.Keys.ToList();
}
