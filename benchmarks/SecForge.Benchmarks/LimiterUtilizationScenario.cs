using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using SecForge.Models;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// Against a server with a fixed 50 ms latency, how busy the concurrency limiter keeps its slots when callers
/// offer more work than it allows. Target: ≥ 95% of the configured concurrency busy.
/// </summary>
public static class LimiterUtilizationScenario
{
    public static async Task<int> RunAsync(int concurrency = 16, int requests = 1600)
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.RecordRequests = false;
        server.Latency = TimeSpan.FromMilliseconds(50);
        using var model = ModelFactory.Connect(new ModelRegistry().Resolve(server.Spec()), new ModelRuntimeOptions { Concurrency = concurrency });
        var options = new ChatOptions { MaxOutputTokens = 4, Temperature = 0 };

        // Warm the connection pool so the measurement is of steady state.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => model.Chat.GetResponseAsync($"warm {i}", options)));
        var busyBefore = model.Limiter.BusySlotSeconds;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, requests).Select(i => model.Chat.GetResponseAsync($"request {i}", options)));
        watch.Stop();
        var busy = model.Limiter.BusySlotSeconds - busyBefore;
        var slotUtilisation = busy / (watch.Elapsed.TotalSeconds * concurrency);
        var ideal = requests * 0.050 / concurrency;
        var throughputUtilisation = ideal / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"limiter utilisation: concurrency {concurrency}, {requests} requests at 50 ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall {watch.Elapsed.TotalSeconds:0.000} s (ideal {ideal:0.000} s), server peak in flight {server.MaxInFlight}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slots busy {slotUtilisation:P1}; throughput vs ideal {throughputUtilisation:P1}; target >= 95%: {(slotUtilisation >= 0.95 ? "met" : "NOT met")}"));
        return slotUtilisation >= 0.95 ? 0 : 1;
    }
}
