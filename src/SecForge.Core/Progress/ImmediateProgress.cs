namespace SecForge.Core.Progress;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once on the reporting thread, one report at a time.
/// <see cref="Progress{T}"/> posts handlers to the thread pool, where they can run after the command that owns
/// the writer has finished and disposed it.
/// </summary>
public sealed class ImmediateProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            _handler(value);
        }
    }
}
