using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SecForge.Benchmarks;

// Scenarios that measure something other than time per call run outside BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "limiter":
        return await LimiterUtilizationScenario.RunAsync();
    case "extraction-compare":
        return await ExtractionComparison.RunAsync(args[1..]);
    case "pipeline-crawl":
        return PipelineCrawl.Write(args[1..]);
    case "eval-latency":
        return await EvalLatencyScenario.RunAsync(args[1..]);
    case "redteam":
        return await RedTeamScenario.RunAsync();
    case "embed":
        return EmbeddingScenario.Run();
    case "align":
        return await AlignScenario.RunAsync(args[1..]);
    case "kb-search":
        return KnowledgeScenario.Search(args[1..]);
    case "crawl-harvest":
        return await CrawlScenario.RunAsync(args[1..]);
    case "kb-cves":
        return KnowledgeScenario.WriteCves(args[1..]);
}

var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15))
    .AddColumn(new ThroughputColumn())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(MiddlewareBenchmarks).Assembly).Run(args, config);
return 0;
