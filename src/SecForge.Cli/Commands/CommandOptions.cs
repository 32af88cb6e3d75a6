using System.CommandLine;

namespace SecForge.Cli.Commands;

/// <summary>Options several commands share, so they read and behave the same everywhere.</summary>
internal static class CommandOptions
{
    /// <summary><c>--json</c>: print results as JSON on stdout instead of a table.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the results as JSON on stdout instead of a table." };

    /// <summary><c>--output</c>: where a command writes its files.</summary>
    public static Option<string> Output(string description, bool required = true) => new("--output", "-o") { Description = description, Required = required };
}
