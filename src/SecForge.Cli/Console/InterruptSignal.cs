using System.Runtime.InteropServices;

namespace SecForge.Cli.Console;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM — how Slurm, Docker and systemd stop a job — into one cancellation: the first
/// signal stops work cleanly (what is written stays, a rerun resumes), a second one of the same kind ends the
/// process at once. <see cref="ExitCode"/> is 130 for SIGINT and 143 for SIGTERM, as shells report them.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;

    public InterruptSignal()
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The exit code for the signal received: 128 + its number.</summary>
    public int ExitCode => Volatile.Read(ref _signal) == (int)PosixSignal.SIGTERM ? 143 : 130;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) == 0)
        {
            // The first signal: keep the process alive and let the work stop at its next checkpoint. The cancellation
            // callbacks run on the thread pool, not on the signal's thread, which must return at once.
            context.Cancel = true;
            _ = _source.CancelAsync();
        }
    }
}
