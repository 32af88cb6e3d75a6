using System.Diagnostics;
using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.Running;
using SecForge.Testing;

namespace SecForge.Core.Tests.Running;

public sealed class RunLockTests
{
    [Fact]
    public void ASecondHolder_IsRefused_WithOneLineNamingTheFirst()
    {
        using var directory = new TempDirectory();
        using (RunLock.Acquire(directory.Path, "secforge eval"))
        {
            var refused = Assert.Throws<InputException>(() => RunLock.Acquire(directory.Path, "secforge eval"));
            Assert.Contains($"process {Environment.ProcessId}", refused.Message, StringComparison.Ordinal);
            Assert.Contains("secforge eval", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);
        }

        using var again = RunLock.Acquire(directory.Path, "secforge eval");
        Assert.Null(again.TakenOverFrom);
    }

    [Fact]
    public void ScopedLocks_AreIndependentOfEachOther_ButEachHasOneHolder()
    {
        using var directory = new TempDirectory();
        using var rank0 = RunLock.Acquire(directory.Path, "secforge corpus", "rank-00000");
        using var rank1 = RunLock.Acquire(directory.Path, "secforge corpus", "rank-00001");
        Assert.Throws<InputException>(() => RunLock.Acquire(directory.Path, "secforge corpus", "rank-00001"));
    }

    [Fact]
    public async Task ALockHeldByAnotherProcess_IsRefused_AndTakenOverOnceThatProcessIsKilled()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "flock(1) holds the lock from another process");
        using var directory = new TempDirectory();
        var lockPath = Path.Combine(directory.Path, RunLock.FileName);
        File.WriteAllText(lockPath, string.Empty);

        // Another process takes the same advisory lock, as a running secforge would; its holder note says who it is.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", lockPath, "sleep", "60"]) { UseShellExecute = false })!;
        File.WriteAllText(Path.Combine(directory.Path, ".secforge.lock.json"), JsonSerializer.Serialize(new { process_id = holder.Id, host = Environment.MachineName, purpose = "secforge redteam", started = DateTimeOffset.UtcNow }));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        InputException? refused = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var early = RunLock.Acquire(directory.Path, "secforge redteam");
            }
            catch (InputException exception)
            {
                refused = exception;
                break;
            }

            // flock(1) has not taken the lock yet.
            await Task.Delay(50, TestContext.Current.CancellationToken);
            File.WriteAllText(Path.Combine(directory.Path, ".secforge.lock.json"), JsonSerializer.Serialize(new { process_id = holder.Id, host = Environment.MachineName, purpose = "secforge redteam", started = DateTimeOffset.UtcNow }));
        }

        Assert.NotNull(refused);
        Assert.Contains($"process {holder.Id}", refused.Message, StringComparison.Ordinal);

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync(TestContext.Current.CancellationToken);

        // flock(1) runs `sleep` as a child that holds the same open file: the lock is free once that child is gone
        // too, a moment after flock itself has exited.
        RunLock? taken = null;
        for (var attempt = 0; taken is null; attempt++)
        {
            try
            {
                taken = RunLock.Acquire(directory.Path, "secforge redteam");
            }
            catch (InputException) when (attempt < 100)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        using (taken)
        {
            Assert.Equal(holder.Id, taken.TakenOverFrom?.ProcessId);
        }
    }
}
