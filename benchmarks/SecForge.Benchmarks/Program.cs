using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SecForge.Benchmarks;

// Scenarios that measure something other than time per call run outside BenchmarkDotNet.
if (args.Length > 0 && args[0] == "limiter")
{
    return await LimiterUtilizationScenario.RunAsync();
}

var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(MiddlewareBenchmarks).Assembly).Run(args, config);
return 0;
