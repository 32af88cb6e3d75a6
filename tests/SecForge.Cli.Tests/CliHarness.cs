using SecForge.Cli.Console;

namespace SecForge.Cli.Tests;

/// <summary>Runs secforge commands in-process with captured writers.</summary>
internal static class CliHarness
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, workingDirectory, interactive: false) { ProgressInterval = TimeSpan.Zero };
        var code = await SecForgeApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
