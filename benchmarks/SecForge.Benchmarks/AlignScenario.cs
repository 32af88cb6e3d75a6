using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Testing;

namespace SecForge.Benchmarks;

/// <summary>
/// `align [N] [--no-embedding] [--keep DIR]`: N Alpaca pairs (default 100,000), made from the 320-pair labelled set
/// with varied addresses, hosts, names and wording (seeded), aligned in template mode with the default built-in
/// triage on one worker; prints wall time, pairs per second, pairs per CPU-second and the peak working set.
/// Target: ≥ 2,000 pairs/s per core in bounded memory.
/// </summary>
public static class AlignScenario
{
    private static readonly string[] Contexts =
    [
        string.Empty, " This is for our Q3 assessment.", " Keep it short.", " Our team needs this by Friday.", " Explain each step.",
        " I'm studying for the OSCP.", " Use Linux if possible.", " Please be specific.", " It's urgent.", " Assume a Windows 11 host.",
    ];

    private static readonly string[] Names = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy"];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 100_000;
        var embedding = !args.Contains("--no-embedding");
        using var directory = new TempDirectory("secforge-bench-align");
        var input = directory.File("pairs.jsonl");
        Generate(input, count);
        var triage = new BuiltinTriage(TriageModel.Default!, embedding);
        var options = new AlignOptions
        {
            Input = input,
            Format = DatasetFormat.Alpaca,
            OutputDirectory = directory.File("run"),
            Triage = triage,
            Rewriter = new TemplateRewriter(),
            Verifier = new RewriteVerifier(new LexicalSimilarity()),
            Concurrency = 1,
        };
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var stats = await new AlignRunner(options).RunAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} pairs on 1 worker in {seconds:0.00} s = {count / seconds:N0} pairs/s; CPU {cpuSeconds:0.00} s = {count / cpuSeconds:N0} pairs per CPU-second; peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"triage: {triage.Name}; {triage.Escalated:N0} of {triage.Decided:N0} sent to the embedding head; actions: {string.Join(", ", stats.Actions.Select(a => $"{a.Key} {a.Value:N0}"))}"));
        if (args.SkipWhile(a => a != "--keep").Skip(1).FirstOrDefault() is { } keep)
        {
            File.Copy(input, Path.Combine(keep, "pairs.jsonl"), overwrite: true);
        }

        return 0;
    }

    /// <summary>Writes <paramref name="count"/> varied pairs drawn from the labelled set.</summary>
    public static void Generate(string path, int count)
    {
        var source = File.ReadLines(Path.Combine(RepositoryPaths.Root, "samples", "alignment", "labelled-pairs.jsonl")).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
        var random = new Random(7);
        using var writer = new StreamWriter(path);
        for (var i = 0; i < count; i++)
        {
            var record = (JsonObject)source[random.Next(source.Count)].DeepClone();
            var ip = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
            var host = $"srv{random.Next(1000):000}.lab.example";
            string Vary(string text) => text.Replace("192.168.56.10", ip, StringComparison.Ordinal).Replace("staging.example", host, StringComparison.Ordinal).Replace("example.com", $"corp{random.Next(100)}.example", StringComparison.Ordinal);
            record["id"] = "b" + i.ToString(CultureInfo.InvariantCulture);
            record["instruction"] = Vary((string)record["instruction"]!).Replace(" my ", $" {Names[random.Next(Names.Length)]}'s ", StringComparison.Ordinal) + Contexts[random.Next(Contexts.Length)];
            record["output"] = Vary((string)record["output"]!);
            writer.WriteLine(record.ToJsonString());
        }
    }
}
