using SecForge.Evaluation.Data;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Tasks;
using SecForge.Testing;

namespace SecForge.Evaluation.Tests;

/// <summary>The benchmark format samples in ../shared/data/benchmark-samples (tests skip when absent).</summary>
internal static class BenchmarkSamples
{
    public static string? Folder => RepositoryPaths.SharedDataFolder("benchmark-samples");

    public const string Missing = "../shared/data/benchmark-samples is absent: the benchmark loaders cannot be checked against the real formats here";

    public static BenchmarkFiles Files => new(Folder!);

    public static LoadedTask Load(string task) => LoadedTask.Load(BuiltinTasks.Find(task)!, Files);
}

/// <summary>The project-written fixtures in the benchmarks' formats (tests/SecForge.Testing/Fixtures/benchmarks): always present.</summary>
internal static class Fixtures
{
    public static string Folder => BenchmarkFixtures.Folder;

    public static BenchmarkFiles Files => new(Folder);

    public static LoadedTask Load(string task) => LoadedTask.Load(BuiltinTasks.Find(task)!, Files);
}
