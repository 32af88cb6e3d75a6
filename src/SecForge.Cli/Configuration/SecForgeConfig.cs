using SecForge.Core.Configuration;
using SecForge.Core.Errors;
using SecForge.Models.Specs;

namespace SecForge.Cli.Configuration;

/// <summary>
/// secforge.yaml: named models and defaults. Found in the working directory, or given with <c>--config</c>.
/// </summary>
internal sealed class SecForgeConfig
{
    /// <summary>The file names looked for in the working directory.</summary>
    public static readonly string[] FileNames = ["secforge.yaml", "secforge.yml"];

    /// <summary>Named models.</summary>
    public Dictionary<string, ModelDefinition> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Defaults for every model and run.</summary>
    public ConfigDefaults Defaults { get; set; } = new();

    /// <summary>The file this came from, or null when none was found.</summary>
    public string? SourcePath { get; private set; }

    /// <summary>Loads <paramref name="explicitPath"/>, or the file in <paramref name="workingDirectory"/>, or nothing.</summary>
    public static SecForgeConfig Load(string? explicitPath, string workingDirectory)
    {
        string? path = null;
        if (explicitPath is not null)
        {
            path = Path.GetFullPath(explicitPath, workingDirectory);
            if (!File.Exists(path))
            {
                throw new InputException("config file not found", explicitPath);
            }
        }
        else
        {
            path = FileNames.Select(name => Path.Combine(workingDirectory, name)).FirstOrDefault(File.Exists);
        }

        if (path is null)
        {
            return new SecForgeConfig();
        }

        var config = YamlFile.Read<SecForgeConfig>(path);
        config.Models ??= new(StringComparer.OrdinalIgnoreCase);
        config.Defaults ??= new ConfigDefaults();
        config.SourcePath = path;
        return config;
    }
}

/// <summary>The <c>defaults:</c> section.</summary>
internal sealed class ConfigDefaults
{
    /// <summary>The response cache file, relative to the working directory; "off" disables caching.</summary>
    public string? Cache { get; set; }

    /// <summary>Requests in flight per model.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Per-request time limit in seconds.</summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>Attempts per request, the first included.</summary>
    public int? MaxAttempts { get; set; }
}
