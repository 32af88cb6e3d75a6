using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecForge.Cli.Console;
using SecForge.Core.Errors;
using SecForge.Core.Json;
using SecForge.Models.Diagnostics;
using SecForge.Models.Gguf;
using SecForge.Models.Specs;

namespace SecForge.Cli.Commands;

/// <summary><c>secforge models</c>: list named models, check what a model can do, write the tiny test model.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("models", "Name, check and create models. A model is a spec — openai:<model>@<base-url>, ollama:<model>, gguf:<path> — or a name from secforge.yaml.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Check(context));
        command.Subcommands.Add(MakeTestModel(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandOptions.Json();
        var command = new Command("list", "List the models named in secforge.yaml, with their backend and settings.") { json };
        command.SetAction(parse =>
        {
            var rows = context.Models.Named.OrderBy(m => m.Key, StringComparer.Ordinal).Select(pair =>
            {
                var spec = ModelSpec.Parse(pair.Value.Spec!);
                return new ModelListing(
                    pair.Key,
                    spec.Backend == ModelBackend.Gguf ? "gguf" : "openai-compatible",
                    spec.Text,
                    pair.Value.ApiKeyEnv,
                    Settings(pair.Value));
            }).ToList();
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(rows, SecForgeJson.Indented));
                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                context.Output.WriteLine(context.Config.SourcePath is null
                    ? "No secforge.yaml here: name models in one, or pass a spec such as openai:<model>@http://127.0.0.1:8000/v1 or gguf:model.gguf."
                    : $"{context.Config.SourcePath} names no models.");
                return ExitCodes.Success;
            }

            TableOutput.Write(context, ["name", "backend", "spec", "api key from", "settings"], rows.Select(r => (IReadOnlyList<string>)[r.Name, r.Backend, r.Spec, r.ApiKeyEnv ?? "-", r.Settings]), $"Models in {context.Config.SourcePath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "A spec (openai:<model>@<base-url>, ollama:<model>, gguf:<path>) or a name from secforge.yaml." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each request.", DefaultValueFactory = _ => 60 };
        var json = CommandOptions.Json();
        var command = new Command("check", "Check what a model can do: reachable, chat, raw completion, log-probabilities, prompt log-likelihood, latency and tokens/s.")
        {
            model, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var resolved = context.Models.Resolve(parse.GetValue(model)!);
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                throw new InputException("--timeout must be positive");
            }

            var result = await ModelProbe.CheckAsync(resolved, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
            if (!result.Reachable)
            {
                throw new InputException(result.Problem ?? "the model cannot be reached");
            }

            foreach (var warning in result.Warnings)
            {
                context.Error.WriteLine($"secforge: warning: {warning}");
            }

            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(result, SecForgeJson.Indented));
            }
            else
            {
                var rows = new List<IReadOnlyList<string>> { new[] { "reachable", "yes", result.Endpoint } };
                rows.AddRange(result.Capabilities.Select(c => (IReadOnlyList<string>)[c.Name, Status(c.Status), c.Detail]));
                rows.Add(["latency", result.LatencyMs is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-", "a short chat reply"]);
                rows.Add(["tokens/s", result.TokensPerSecond is { } tps ? tps.ToString("0.0", CultureInfo.InvariantCulture) : "-", "a 64-token reply"]);
                TableOutput.Write(context, ["capability", "status", "detail"], rows, $"{result.Model} ({result.Backend})");
            }

            return result.Usable ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command MakeTestModel(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "Where to write the GGUF file." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights.", DefaultValueFactory = _ => TinyLlamaModel.DefaultSeed };
        var command = new Command("make-test-model", "Write the tiny llama-architecture GGUF (a few hundred KB, fixed-seed weights, Llama 3 chat template) that tests and examples run through llama.cpp.")
        {
            path, seed,
        };
        command.SetAction(parse =>
        {
            var target = context.ResolvePath(parse.GetValue(path)!);
            var size = TinyLlamaModel.Write(target, parse.GetValue(seed));
            context.Output.WriteLine($"wrote {target} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes): a tiny llama GGUF for tests; try: secforge models check gguf:{parse.GetValue(path)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Status(CapabilityStatus status) => status switch
    {
        CapabilityStatus.Supported => "yes",
        CapabilityStatus.NotSupported => "not supported",
        _ => "failed",
    };

    private static string Settings(ModelDefinition definition)
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}={value}"));
            }
        }

        Add("temperature", definition.Temperature);
        Add("max_tokens", definition.MaxTokens);
        Add("seed", definition.Seed);
        Add("context_size", definition.ContextSize);
        Add("threads", definition.Threads);
        Add("chat_template", definition.ChatTemplate);
        Add("concurrency", definition.Concurrency);
        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }

    private sealed record ModelListing(string Name, string Backend, string Spec, string? ApiKeyEnv, string Settings);
}
