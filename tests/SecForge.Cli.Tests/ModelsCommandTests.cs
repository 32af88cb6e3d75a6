using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SecForge.Testing;

namespace SecForge.Cli.Tests;

public sealed class ModelsCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_OnTheTinyGguf_ReportsEveryCapability()
    {
        using var directory = new TempDirectory();
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "models", "check", TinyModel.Spec);

        Assert.True(code == 0, error);
        Assert.Matches(@"chat\s+yes", output);
        Assert.Matches(@"raw completion\s+yes", output);
        Assert.Matches(@"logprobs\s+yes", output);
        Assert.Matches(@"prompt log-likelihood\s+yes", output);
        Assert.Matches(@"tokens/s\s+\d", output);
    }

    [Fact]
    public async Task Check_AgainstTheLoopbackServer_PrintsJson()
    {
        await using var server = await LoopbackModelServer.StartAsync(Token);
        using var directory = new TempDirectory();
        var (code, output, _) = await CliHarness.RunAsync(directory.Path, "models", "check", server.Spec(), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("reachable").GetBoolean());
        var statuses = json.RootElement.GetProperty("capabilities").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("supported", statuses["chat"]);
        Assert.Equal("supported", statuses["raw completion"]);
        Assert.Equal("supported", statuses["logprobs"]);
        Assert.Equal("supported", statuses["prompt log-likelihood"]);
        Assert.True(json.RootElement.GetProperty("latency_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Check_AgainstAServerSecForgeDidNotWrite_Succeeds()
    {
        var cli = Path.Combine(RepositoryPaths.NodeModules, "mock-openai-api", "dist", "cli.js");
        Assert.SkipUnless(File.Exists(cli), $"npm package mock-openai-api is not installed in {RepositoryPaths.NodeModules} (.ci/run installs it)");
        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("node", [cli, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-H", "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await WaitForPortAsync(port);
            using var directory = new TempDirectory();
            var (code, output, error) = await CliHarness.RunAsync(directory.Path, "models", "check", $"openai:mock-gpt-thinking@http://127.0.0.1:{port}/v1", "--json");

            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output);
            var statuses = json.RootElement.GetProperty("capabilities").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
            Assert.Equal("supported", statuses["chat"]);

            // That server has no /v1/completions: SecForge says so instead of failing.
            Assert.Equal("not_supported", statuses["raw completion"]);
            Assert.Equal("not_supported", statuses["prompt log-likelihood"]);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("gguf:{dir}/missing.gguf", "missing.gguf: model file not found")]
    [InlineData("gguf:{dir}/page.gguf", "not a GGUF file")]
    [InlineData("openai:m@http://127.0.0.1:{closed}/v1", "cannot reach http://127.0.0.1:")]
    [InlineData("bedrock:claude", "unknown model scheme 'bedrock'")]
    [InlineData("no-such-name", "unknown model 'no-such-name'")]
    public async Task Check_WithABadSpec_ExitsTwoWithOneLine(string spec, string message)
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("page.gguf"), "<html>not a model</html>", Token);
        spec = spec.Replace("{dir}", directory.Path, StringComparison.Ordinal).Replace("{closed}", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var result = await CliProcess.RunAsync(["models", "check", spec], directory.Path, cancellationToken: Token);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("secforge: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task MakeTestModel_WritesAModelThatChecksOut()
    {
        using var directory = new TempDirectory();
        var (code, output, _) = await CliHarness.RunAsync(directory.Path, "models", "make-test-model", "tiny.gguf");
        Assert.Equal(0, code);
        Assert.Contains("tiny.gguf", output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(TinyModel.Path, Token), await File.ReadAllBytesAsync(directory.File("tiny.gguf"), Token));
    }

    [Fact]
    public async Task List_ShowsNamedModels_WithoutTheirKeys()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("secforge.yaml"), """
            models:
              foundation:
                spec: gguf:models/foundation-sec-8b.gguf
                temperature: 0.3
                context_size: 8192
              judge:
                spec: openai:gpt-4o-mini@https://api.openai.com/v1
                api_key_env: SECFORGE_TEST_JUDGE_KEY
            """, Token);

        var result = await CliProcess.RunAsync(["models", "list", "--json"], directory.Path, new Dictionary<string, string?> { ["SECFORGE_TEST_JUDGE_KEY"] = "sk-very-secret" }, Token);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("sk-very-secret", result.Output + result.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Output);
        var names = json.RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Equal(["foundation", "judge"], names);
        Assert.Equal("SECFORGE_TEST_JUDGE_KEY", json.RootElement[1].GetProperty("api_key_env").GetString());
        Assert.Contains("temperature=0.3", json.RootElement[0].GetProperty("settings").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedModels_AreUsableByName()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("team.yaml"), $"models:\n  tiny:\n    spec: gguf:{TinyModel.Path}\n    threads: 1\n", Token);
        var (code, output, error) = await CliHarness.RunAsync(directory.Path, "models", "check", "tiny", "--config", "team.yaml");
        Assert.True(code == 0, error);
        Assert.Contains("tiny (gguf)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpuLayers_WithOnlyTheCpuBackend_AreWarnedAbout()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("secforge.yaml"), $"models:\n  tiny:\n    spec: gguf:{TinyModel.Path}\n    gpu_layers: 8\n", Token);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "models", "check", "tiny");
        Assert.True(code == 0, error);
        Assert.Contains("secforge: warning: gpu_layers 8 is set for tiny, but the installed llama.cpp backend (LLamaSharp.Backend.Cpu) cannot offload to a GPU: the model runs on the CPU", error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(directory.File("secforge.yaml"), $"models:\n  tiny:\n    spec: gguf:{TinyModel.Path}\n", Token);
        var (_, _, quiet) = await CliHarness.RunAsync(directory.Path, "models", "check", "tiny");
        Assert.DoesNotContain("warning", quiet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidConfig_IsABadInputNamingTheFileAndLine()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("secforge.yaml"), "models:\n  broken:\n    spec: gguf:x.gguf\n    temprature: 0.3\n", Token);
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "models", "list");
        Assert.Equal(2, code);
        Assert.Contains("secforge.yaml:4", error, StringComparison.Ordinal);
        Assert.Contains("temprature", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingExplicitConfig_IsABadInput()
    {
        using var directory = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(directory.Path, "models", "list", "--config", "nope.yaml");
        Assert.Equal(2, code);
        Assert.Contains("nope.yaml: config file not found", error, StringComparison.Ordinal);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, Token);
            }
        }

        throw new TimeoutException($"nothing listened on port {port}");
    }
}
