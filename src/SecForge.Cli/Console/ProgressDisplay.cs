using System.Diagnostics;
using System.Globalization;
using SecForge.Core.Progress;
using Spectre.Console;

namespace SecForge.Cli.Console;

/// <summary>
/// Shows long work: a Spectre.Console progress bar with rate and ETA on a terminal; elsewhere (redirected,
/// CI) a plain line every <see cref="CliContext.ProgressInterval"/> and one at the end. Always on stderr,
/// so stdout stays clean for results.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, rendering what it reports.</summary>
    public static async Task<T> RunAsync<T>(CliContext context, string title, Func<IProgress<ProgressUpdate>, Task<T>> work)
    {
        if (context.Interactive)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
            return await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(title), autoStart: true, maxValue: 1);
                    task.IsIndeterminate = true;
                    var reporter = new Progress<ProgressUpdate>(update =>
                    {
                        if (update.Total is { } total && total > 0)
                        {
                            task.IsIndeterminate = false;
                            task.MaxValue = total;
                        }

                        task.Value = update.Completed;
                        var failed = update.Failed > 0 ? $" [red]{update.Failed} failed[/]" : string.Empty;
                        var detail = update.Detail is { } d ? $" [grey]{Markup.Escape(d)}[/]" : string.Empty;
                        task.Description = $"{Markup.Escape(update.Task)} {update.Completed.ToString("N0", CultureInfo.InvariantCulture)} {Markup.Escape(update.Unit)}{failed}{detail}";
                    });
                    var result = await work(reporter).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return result;
                }).ConfigureAwait(false);
        }

        var reporter = new PlainReporter(context.Error, context.ProgressInterval);
        try
        {
            return await work(reporter).ConfigureAwait(false);
        }
        finally
        {
            reporter.Finish();
        }
    }

    /// <summary>Writes a plain line at most once per interval, and a last one when the work ends.</summary>
    private sealed class PlainReporter(TextWriter writer, TimeSpan interval) : IProgress<ProgressUpdate>
    {
        private readonly Lock _lock = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private ProgressUpdate? _latest;
        private ProgressUpdate? _written;
        private TimeSpan _lastWrite = TimeSpan.Zero;

        public void Report(ProgressUpdate value)
        {
            lock (_lock)
            {
                _latest = value;
                if (_clock.Elapsed - _lastWrite >= interval)
                {
                    Write(value);
                }
            }
        }

        public void Finish()
        {
            lock (_lock)
            {
                if (_latest is { } latest && !ReferenceEquals(latest, _written))
                {
                    Write(latest);
                }
            }
        }

        private void Write(ProgressUpdate update)
        {
            _lastWrite = _clock.Elapsed;
            _written = update;
            var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            var rate = update.Completed / seconds;
            var line = $"[{update.Task}] {update.Completed.ToString(CultureInfo.InvariantCulture)}";
            if (update.Total is { } total && total > 0)
            {
                line += $"/{total.ToString(CultureInfo.InvariantCulture)} {update.Unit} ({100.0 * update.Completed / total:0}%)";
                if (rate > 0 && update.Completed < total)
                {
                    line += $", ETA {TimeSpan.FromSeconds((total - update.Completed) / rate):hh\\:mm\\:ss}";
                }
            }
            else
            {
                line += $" {update.Unit}";
            }

            line += string.Create(CultureInfo.InvariantCulture, $", {rate:0.#}/s");
            if (update.Failed > 0)
            {
                line += $", {update.Failed} failed";
            }

            if (update.Detail is { } detail)
            {
                line += $", {detail}";
            }

            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
