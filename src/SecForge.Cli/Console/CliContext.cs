using SecForge.Cli.Configuration;
using SecForge.Models;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;

namespace SecForge.Cli.Console;

/// <summary>
/// What a command runs with: where to write, whether a person is watching (terminal, no CI), the working
/// directory and the loaded configuration. Commands take it instead of touching <see cref="System.Console"/>,
/// so tests invoke them with captured writers.
/// </summary>
internal sealed class CliContext
{
    private SecForgeConfig? _config;
    private ModelRegistry? _registry;

    public CliContext(TextWriter output, TextWriter error, string workingDirectory, bool interactive)
    {
        Output = output;
        Error = error;
        WorkingDirectory = workingDirectory;
        Interactive = interactive;
    }

    /// <summary>Results go here (stdout).</summary>
    public TextWriter Output { get; }

    /// <summary>Progress, warnings and errors go here (stderr).</summary>
    public TextWriter Error { get; }

    /// <summary>The directory relative paths are resolved against.</summary>
    public string WorkingDirectory { get; }

    /// <summary>True on a terminal outside CI: progress bars and coloured tables; otherwise plain lines.</summary>
    public bool Interactive { get; }

    /// <summary>The signals that interrupt the process (the real console only), to tell SIGINT from SIGTERM.</summary>
    public InterruptSignal? Interrupt { get; set; }

    /// <summary>The <c>--config</c> value, if given.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Seconds between plain progress lines.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The configuration (loaded on first use).</summary>
    public SecForgeConfig Config => _config ??= SecForgeConfig.Load(ConfigPath, WorkingDirectory);

    /// <summary>Named models from the configuration.</summary>
    public ModelRegistry Models => _registry ??= new ModelRegistry(Config.Models, Config.SourcePath);

    /// <summary>A context for the real console.</summary>
    public static CliContext ForConsole() => new(
        System.Console.Out,
        System.Console.Error,
        Environment.CurrentDirectory,
        interactive: !System.Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && Environment.GetEnvironmentVariable("TERM") != "dumb");

    /// <summary>Resolves a path against the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Connects to the model <paramref name="spec"/> names (a spec or a name from secforge.yaml), telling stderr what its settings warn of.</summary>
    public ModelConnection Connect(string spec, ModelRuntimeOptions runtime)
    {
        var connection = ModelFactory.Connect(Models.Resolve(spec), runtime);
        foreach (var warning in connection.Warnings)
        {
            Error.WriteLine($"secforge: warning: {warning}");
        }

        return connection;
    }

    /// <summary>Middleware settings from the configuration; <paramref name="useCache"/> turns the response cache on.</summary>
    public ModelRuntimeOptions Runtime(bool useCache, string? cacheOverride = null)
    {
        var defaults = Config.Defaults;
        var cache = cacheOverride ?? defaults.Cache ?? Path.Combine(".secforge", "cache.sqlite");
        return new ModelRuntimeOptions
        {
            CachePath = useCache && !string.Equals(cache, "off", StringComparison.OrdinalIgnoreCase) ? ResolvePath(cache) : null,
            Concurrency = defaults.Concurrency ?? 8,
            Timeout = TimeSpan.FromSeconds(defaults.TimeoutSeconds ?? 120),
            Retry = new RetryOptions { MaxAttempts = defaults.MaxAttempts ?? 6 },
        };
    }
}
