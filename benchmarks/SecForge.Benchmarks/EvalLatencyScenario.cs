using System.Diagnostics;
using System.Globalization;
using SecForge.Evaluation.Running;
using SecForge.Models;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `eval-latency`: 2,500 items against the loopback OpenAI-compatible server answering after 200 ms, at
/// concurrency 32 (target: within 1.2x the ideal 2,500 x 0.2 / 32 = 15.6 s); then the same run into a fresh
/// directory with every reply from the SQLite cache (target ≥ 5,000 items/s).
/// </summary>
public static class EvalLatencyScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2500;
        var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
        const int Concurrency = 32;
        using var directory = new TempDirectory("secforge-eval-latency");
        var task = EvalWorkload.WriteTask(directory.File("task"), items);
        await using var server = await LoopbackModelServer.StartAsync();
        server.RecordRequests = false;
        server.Latency = latency;
        server.Responder = _ => new ScriptedReply("Segmentation limits lateral movement.\nAnswer: A");
        var runtime = new ModelRuntimeOptions { Concurrency = Concurrency, CachePath = directory.File("cache.sqlite") };

        double seconds;
        using (var model = ModelFactory.Connect(new ModelRegistry().Resolve(server.Spec()), runtime))
        {
            var watch = Stopwatch.StartNew();
            var results = await new EvalRunner(model, EvalWorkload.Options(task, directory.File("live"), Concurrency)).RunAsync();
            seconds = watch.Elapsed.TotalSeconds;
            var ideal = items * latency.TotalSeconds / Concurrency;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{items:N0} items, {latency.TotalMilliseconds:0} ms latency, concurrency {Concurrency}: {seconds:0.00} s (ideal {ideal:0.00} s, ratio {seconds / ideal:0.000}); max in flight at the server {server.MaxInFlight}; {results.Tasks.Values.Sum(t => t.Scored):N0} scored"));
        }

        server.Latency = TimeSpan.Zero;
        using (var model = ModelFactory.Connect(new ModelRegistry().Resolve(server.Spec()), runtime))
        {
            var watch = Stopwatch.StartNew();
            var results = await new EvalRunner(model, EvalWorkload.Options(task, directory.File("cached"), Concurrency)).RunAsync();
            var cachedSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fully cached rerun: {cachedSeconds:0.000} s = {items / cachedSeconds:N0} items/s ({results.Usage!.CacheHits:N0} cache hits, {results.Usage.Calls} model calls)"));
        }

        return 0;
    }
}
