using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

/// <summary>
/// What every long command shares: a dead endpoint ends it in seconds with one line, SIGTERM is Ctrl-C, a folder has
/// one run at a time, and a folder's run is resumed only under its own settings.
/// </summary>
public sealed class RunDisciplineCommandTests
{
    private const string Refusal = "I'm sorry, but I can't help with that.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A custom multiple-choice task of <paramref name="items"/> questions whose answer is always B.</summary>
    private static string WriteTask(TempDirectory directory, int items)
    {
        File.WriteAllLines(directory.File("quiz.jsonl"), Enumerable.Range(1, items).Select(i => new JsonObject
        {
            ["id"] = $"q{i}",
            ["question"] = $"Question {i}: which port does service {i} use?",
            ["choices"] = new JsonArray("21", "445", "3389", "53"),
            ["answer"] = "B",
        }.ToJsonString()));
        File.WriteAllText(directory.File("quiz.yaml"), "name: quiz\ndata: quiz.jsonl\ntype: multiple_choice\n");
        return "quiz.yaml";
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static TheoryData<string> Commands => ["eval", "redteam", "align", "experiment"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task ADeadEndpoint_EndsTheCommandWithinSeconds_WithOneLineNamingIt(string command)
    {
        using var directory = new TempDirectory();
        var endpoint = $"http://127.0.0.1:{ClosedPort()}/v1";
        var spec = $"openai:dead@{endpoint}";
        File.WriteAllText(directory.File("pairs.jsonl"), "{\"instruction\":\"Write a port scanner in Python.\",\"input\":\"\",\"output\":\"import socket\"}\n");
        File.WriteAllText(directory.File("experiment.yaml"), $"name: x\nmodels:\n  - name: dead\n    spec: {spec}\neval:\n  tasks: [{WriteTask(directory, 80)}]\n");
        string[] args = command switch
        {
            "eval" => ["eval", "run", "--model", spec, "--tasks", "quiz.yaml", "--output", "run", "--no-cache"],
            "redteam" => ["redteam", "run", "--target", spec, "--owasp", "LLM07", "--harms", "malware", "--limit", "5", "--output", "run"],
            "align" => ["align", "run", "--input", "pairs.jsonl", "--format", "alpaca", "--mode", "model", "--rewriter", spec, "--triage", spec, "--output", "run"],
            _ => ["experiment", "run", "experiment.yaml", "--output", "run"],
        };
        var watch = Stopwatch.StartNew();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, args);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(1, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("secforge:", StringComparison.Ordinal)).ToList();
        Assert.Equal($"secforge: {endpoint} is unreachable: connection refused; work written so far is kept and a rerun resumes it", Assert.Single(lines));
    }

    [Fact]
    public async Task AnEndpointThatDiesMidRun_EndsTheRunInSeconds_AndARerunResumesWhatWasMissing()
    {
        using var directory = new TempDirectory();
        var task = WriteTask(directory, 120);
        var server = await LoopbackModelServer.StartAsync(Token);
        var port = server.BaseUri.Port;
        var answered = 0;
        server.Responder = request =>
        {
            if (Interlocked.Increment(ref answered) == 40)
            {
                // The server process goes away: open connections drop, and every later connection is refused.
                server.Faults = _ => new ServerFault(ServerFaultKind.ConnectionReset);
                _ = Task.Run(async () => await server.DisposeAsync());
            }

            return new ScriptedReply("ANSWER: B");
        };
        var spec = server.Spec("quizzer");
        var watch = Stopwatch.StartNew();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", spec, "--tasks", task, "--output", "run", "--no-cache", "--concurrency", "2");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.True(code == 1, $"exit {code}: {error}");
        Assert.Contains("is unreachable", error, StringComparison.Ordinal);
        var logged = File.ReadAllLines(directory.File("run/log.jsonl")).Select(l => JsonNode.Parse(l)!).Where(e => e["error"] is null).Select(e => (string)e["sample"]!).ToList();
        Assert.InRange(logged.Count, 30, 45);

        await using var back = await LoopbackModelServer.StartAsync(port, Token);
        back.Responder = _ => new ScriptedReply("ANSWER: B");
        var (again, output, againError) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", spec, "--tasks", task, "--output", "run", "--no-cache", "--concurrency", "2", "--json");
        Assert.True(again == 0, againError);
        Assert.Equal(120 - logged.Count, back.RequestCount);
        Assert.Equal(1.0, (double)JsonNode.Parse(output)!["tasks"]!["quiz"]!["metrics"]!["accuracy"]!);
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task SigtermStopsARun_LikeCtrlC_AndTheRunResumes(string signal, int exitCode)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "sends a POSIX signal");
        using var directory = new TempDirectory();
        var task = WriteTask(directory, 60);
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = _ => new ScriptedReply("ANSWER: B");
        server.Latency = TimeSpan.FromMilliseconds(100);
        string[] args = ["eval", "run", "--model", server.Spec(), "--tasks", task, "--output", "run", "--no-cache", "--concurrency", "1"];
        using (var process = CliProcess.Start(args, directory.Path))
        {
            var stderr = process.StandardError.ReadToEndAsync(Token);
            var log = directory.File("run/log.jsonl");
            var watch = Stopwatch.StartNew();
            while (!File.Exists(log) || File.ReadAllLines(log).Length < 5)
            {
                Assert.False(process.HasExited, "the run ended before it could be stopped");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "no item was logged");
                await Task.Delay(20, Token);
            }

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Token);
            }

            await process.WaitForExitAsync(Token);
            Assert.Equal(exitCode, process.ExitCode);
            var error = await stderr;
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.Equal("secforge: interrupted; work written so far is kept and a rerun resumes it", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("secforge:", StringComparison.Ordinal)));
        }

        var kept = File.ReadAllLines(directory.File("run/log.jsonl")).Length;
        Assert.InRange(kept, 5, 59);
        server.ClearRequests();
        server.Latency = TimeSpan.Zero;
        var resumed = await CliProcess.RunAsync(args, directory.Path, cancellationToken: Token);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(60 - kept, server.RequestCount);
        var samples = File.ReadAllLines(directory.File("run/log.jsonl")).Select(l => (string)JsonNode.Parse(l)!["sample"]!).ToList();
        Assert.Equal(60, samples.Distinct().Count());
        Assert.Equal(60, samples.Count);
    }

    [Fact]
    public async Task TwoRunsIntoOneFolder_TheSecondRefusesWithOneLineNamingTheFirst()
    {
        using var directory = new TempDirectory();
        var task = WriteTask(directory, 40);
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = _ => new ScriptedReply("ANSWER: B");
        server.Latency = TimeSpan.FromMilliseconds(50);
        var first = CliHarness.RunAsync(directory.Path, "eval", "run", "--model", server.Spec(), "--tasks", task, "--output", "run", "--no-cache", "--concurrency", "1");
        var watch = Stopwatch.StartNew();
        while (!File.Exists(directory.File("run/log.jsonl")))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "the first run did not start");
            await Task.Delay(10, Token);
        }

        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "eval", "run", "--model", server.Spec(), "--tasks", task, "--output", "run", "--no-cache");
        Assert.Equal(2, code);
        Assert.Matches($@"^secforge: .*run is in use by process {Environment.ProcessId} on .* \(secforge eval, since .*\); wait for it to finish or choose another --output$", error.Trim());
        var (firstCode, _, firstError) = await first;
        Assert.True(firstCode == 0, firstError);
        Assert.Equal(40, File.ReadAllLines(directory.File("run/log.jsonl")).Length);
    }

    [Fact]
    public async Task ARedTeamRunAgainstAnotherTarget_IsRefused_InsteadOfReusingTheFirstTargetsAttempts()
    {
        using var directory = new TempDirectory();
        await using var server = await LoopbackModelServer.StartAsync(Token);
        server.Responder = _ => new ScriptedReply(Refusal);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "redteam", "run", "--target", server.Spec("first"), "--owasp", "LLM07", "--harms", "none", "--limit", "2", "--output", "run");
        Assert.True(code == 0, error);
        server.ClearRequests();
        var (again, _, refusal) = await CliHarness.RunAsync(directory.Path, "redteam", "run", "--target", server.Spec("second"), "--owasp", "LLM07", "--harms", "none", "--limit", "2", "--output", "run");
        Assert.Equal(2, again);
        Assert.Contains("holds a redteam run with other settings (target: \"openai:first@", refusal, StringComparison.Ordinal);
        Assert.Contains("→ \"openai:second@", refusal, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }
}
