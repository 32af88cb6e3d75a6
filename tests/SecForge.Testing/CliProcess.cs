using System.Diagnostics;

namespace SecForge.Testing;

/// <summary>Runs the built <c>secforge</c> program as a child process, as a user would.</summary>
public static class CliProcess
{
    /// <summary>The built secforge.dll of the same configuration as the running tests.</summary>
    public static string Assembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var path = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "SecForge.Cli", configuration, "secforge.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build SecForge.Cli first", path);
        }
    }

    /// <summary>Starts secforge with <paramref name="arguments"/> without waiting.</summary>
    public static Process Start(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CI"] = "true";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("secforge did not start");
    }

    /// <summary>Runs secforge to the end and returns what it printed.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        using var process = Start(arguments, workingDirectory, environment);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new CliResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}

/// <summary>The exit code and output of a secforge run.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
