using System.CommandLine;
using SecForge.Cli.Commands;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Running;
using SecForge.Models;

namespace SecForge.Cli;

/// <summary>The secforge command tree and the mapping of failures to exit codes and one-line messages.</summary>
internal static class SecForgeApp
{
    /// <summary>Builds the root command for <paramref name="context"/>.</summary>
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("SecForge builds, measures and safely deploys cybersecurity LLMs: corpus pipelines, benchmark evaluation, OWASP LLM Top 10 red teaming and safety alignment of fine-tuning data.");
        // The global --config names secforge.yaml; a command with its own --config (corpus run) shadows it.
        root.Options.Add(new Option<string?>("--config") { HelpName = "file", Description = "secforge.yaml to use (default: secforge.yaml in the working directory, if any).", Recursive = true });
        root.Subcommands.Add(ModelsCommand.Create(context));
        root.Subcommands.Add(CorpusCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(RedTeamCommand.Create(context));
        root.Subcommands.Add(AlignCommand.Create(context));
        root.Subcommands.Add(ExperimentCommand.Create(context));
        root.Subcommands.Add(KbCommand.Create(context));
        root.Subcommands.Add(CrawlCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name).Append(parse.CommandResult.Command.Name)).Replace(root.Name, "secforge", StringComparison.Ordinal);
            // One line: the most telling error (an unknown word explains a missing command that follows from it).
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            context.Error.WriteLine($"secforge: {error.Message.TrimEnd('.')} (see '{command.Trim()} --help')");

            return ExitCodes.BadInput;
        }

        var globalConfig = root.Options.OfType<Option<string?>>().First(o => o.Name == "--config");
        context.ConfigPath = parse.GetResult(globalConfig)?.GetValueOrDefault<string?>();
        try
        {
            // Signals are ours (InterruptSignal: SIGINT and SIGTERM alike), not System.CommandLine's.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
        }
        catch (InputException exception)
        {
            context.Error.WriteLine($"secforge: {exception.Message}");
            return ExitCodes.BadInput;
        }
        catch (ModelCallException exception)
        {
            context.Error.WriteLine($"secforge: a model request failed: {exception.Message}");
            return ExitCodes.Failure;
        }
        catch (EndpointUnreachableException exception)
        {
            context.Error.WriteLine($"secforge: {exception.Message}; work written so far is kept and a rerun resumes it");
            return ExitCodes.Failure;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && IsCancellation(exception))
        {
            context.Error.WriteLine("secforge: interrupted; work written so far is kept and a rerun resumes it");
            return context.Interrupt?.ExitCode ?? ExitCodes.Interrupted;
        }
    }

    /// <summary>True for a cancellation, however it arrives (wrapped by a parallel loop or a task).</summary>
    private static bool IsCancellation(Exception exception) => exception switch
    {
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsCancellation),
        _ => exception.InnerException is { } inner && IsCancellation(inner),
    };
}
