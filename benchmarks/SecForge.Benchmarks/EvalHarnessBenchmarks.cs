using BenchmarkDotNet.Attributes;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Tasks;
using SecForge.Models;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// The evaluation harness's own cost per item (target ≤ 1 ms beyond the model call): a whole `eval run` of
/// 1,000 items against an in-memory model that answers instantly — prompt building, extraction, scoring, the
/// JSONL log, results and report — and the same with every reply served from the SQLite response cache.
/// </summary>
[MemoryDiagnoser]
public class EvalHarnessBenchmarks
{
    private const int Items = 1000;
    private TempDirectory _directory = null!;
    private EvalTask _task = null!;
    private ModelConnection _model = null!;
    private ModelConnection _cached = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new TempDirectory("secforge-bench-eval");
        _task = EvalWorkload.WriteTask(_directory.File("task"), Items);
        _model = ModelFactory.Connect("instant", new EvalWorkload.InstantModel(), runtime: new ModelRuntimeOptions { Concurrency = 8 });
        _cached = ModelFactory.Connect("instant", new EvalWorkload.InstantModel(), runtime: new ModelRuntimeOptions { Concurrency = 32, CachePath = _directory.File("cache.sqlite") });
        new EvalRunner(_cached, EvalWorkload.Options(_task, _directory.File("warm"), 32)).RunAsync().GetAwaiter().GetResult();
        Throughput.Register(nameof(RunInstantModel), Items, "samples");
        Throughput.Register(nameof(RunFromCache), Items, "samples");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _cached.Dispose();
        _directory.Dispose();
    }

    [Benchmark(Description = "eval run, 1,000 items, instant model", OperationsPerInvoke = Items)]
    public Task<EvalResults> RunInstantModel() =>
        new EvalRunner(_model, EvalWorkload.Options(_task, _directory.File($"run-{Interlocked.Increment(ref _run)}"), 8)).RunAsync();

    [Benchmark(Description = "eval run, 1,000 items, all cached", OperationsPerInvoke = Items)]
    public Task<EvalResults> RunFromCache() =>
        new EvalRunner(_cached, EvalWorkload.Options(_task, _directory.File($"cached-{Interlocked.Increment(ref _run)}"), 32)).RunAsync();
}
