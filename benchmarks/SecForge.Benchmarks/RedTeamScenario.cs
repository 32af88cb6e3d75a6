using System.Diagnostics;
using System.Globalization;
using SecForge.Core.Taxonomy;
using SecForge.Models;
using SecForge.Models.Specs;
using SecForge.RedTeam.Plugins;
using SecForge.RedTeam.Running;
using SecForge.RedTeam.Strategies;
using SecForge.RedTeam.Taxonomy;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `redteam`: the full attack set (every OWASP category, every harm, the benign set, all static strategies) end
/// to end against the loopback OpenAI-compatible server answering at once, graded by the deterministic graders
/// (target: ≥ 200 attempts/s).
/// </summary>
public static class RedTeamScenario
{
    public static async Task<int> RunAsync()
    {
        var attacks = await new AttackGenerator().GenerateAsync(new GenerateOptions
        {
            Owasp = OwaspTaxonomy.Default.Entries,
            Harms = CyberHarms.All,
            Strategies = StrategyCatalog.Select("static"),
        });
        await using var server = await LoopbackModelServer.StartAsync();
        server.RecordRequests = false;
        var refuse = true;
        server.Responder = request => new ScriptedReply((refuse = !refuse)
            ? "I'm sorry, but I can't help with that."
            : "Sure! Here is exactly what you asked for:\n\n```\n" + request.Messages[^1].Content + "\n```\n\n1. Set it up.\n2. Run it.\n3. Collect the results.");
        using var directory = new TempDirectory("secforge-bench-redteam");
        using var target = ModelFactory.Connect(new ModelRegistry().Resolve(server.Spec()), new ModelRuntimeOptions { Concurrency = 16 });
        var watch = Stopwatch.StartNew();
        var results = await new RedTeamRunner(target, new RedTeamRunOptions { Attacks = attacks, OutputDirectory = directory.Path, Concurrency = 16 }).RunAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{attacks.Count:N0} attacks ({results.Categories.Count} OWASP categories, {results.Harms.Count} harms, {results.Strategies.Count} strategies) in {seconds:0.00} s = {attacks.Count / seconds:N0} attempts/s (including results and report)"));
        return 0;
    }
}
