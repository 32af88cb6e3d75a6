namespace SecForge.Testing;

/// <summary>
/// Project-written files in the benchmarks' own formats (tests/SecForge.Testing/Fixtures/benchmarks): behaviour
/// tests of evaluation use them, so they run in any clone of the repository.
/// </summary>
public static class BenchmarkFixtures
{
    /// <summary>The fixtures folder, to pass as <c>--data</c>.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Testing", "Fixtures", "benchmarks");

    /// <summary>A file of the fixtures folder.</summary>
    public static string File(string relativePath) => Path.Combine(Folder, relativePath);
}
