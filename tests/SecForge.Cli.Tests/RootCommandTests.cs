using System.CommandLine;
using SecForge.Cli.Console;
using SecForge.Core.Progress;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class RootCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> CommandPaths()
    {
        var root = SecForgeApp.CreateRootCommand(new CliContext(TextWriter.Null, TextWriter.Null, ".", false));
        var data = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            data.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(root, string.Empty);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task EveryCommand_ExplainsItselfWithHelp(string path)
    {
        using var directory = new TempDirectory();
        var args = path.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();
        var (code, output, _) = await CliHarness.RunAsync(directory.Path, args);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("Description:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        using var directory = new TempDirectory();
        var result = await CliProcess.RunAsync(["--version"], directory.Path, cancellationToken: Token);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output);
    }

    [Fact]
    public async Task AnUnknownCommand_ExitsTwoWithOneLine()
    {
        using var directory = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "models", "chek");
        Assert.Equal(2, code);
        Assert.Equal("secforge: Unrecognized command or argument 'chek' (see 'secforge models --help')", error.Trim());
    }

    [Fact]
    public async Task PlainProgress_WritesLinesWithCountsRateAndFailures()
    {
        using var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, ".", interactive: false) { ProgressInterval = TimeSpan.Zero };
        var result = await ProgressDisplay.RunAsync(context, "demo", progress =>
        {
            progress.Report(new ProgressUpdate("eval demo", 5, 10, "samples", Failed: 1));
            progress.Report(new ProgressUpdate("eval demo", 10, 10, "samples", Failed: 1, Detail: "cache hits 3"));
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("[eval demo] 5/10 samples (50%)", lines[0], StringComparison.Ordinal);
        Assert.Contains("1 failed", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("[eval demo] 10/10 samples (100%)", lines[^1], StringComparison.Ordinal);
        Assert.Contains("cache hits 3", lines[^1], StringComparison.Ordinal);
    }
}
