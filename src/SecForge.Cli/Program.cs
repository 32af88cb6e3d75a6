using SecForge.Cli;
using SecForge.Cli.Console;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        // The first Ctrl+C stops work cleanly; a second one kills the process.
        e.Cancel = true;
        interrupt.Cancel();
    }
};

return await SecForgeApp.RunAsync(args, CliContext.ForConsole(), interrupt.Token).ConfigureAwait(false);
