using SecForge.Cli;
using SecForge.Cli.Console;

using var interrupt = new InterruptSignal();
var context = CliContext.ForConsole();
context.Interrupt = interrupt;
return await SecForgeApp.RunAsync(args, context, interrupt.Token).ConfigureAwait(false);
