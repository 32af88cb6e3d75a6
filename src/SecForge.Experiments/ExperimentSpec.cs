using SecForge.Core.Configuration;
using SecForge.Core.Errors;

namespace SecForge.Experiments;

/// <summary>
/// experiment.yaml: the models (for example base, fine-tuned, fine-tuned on aligned data), the evaluation tasks for
/// utility and the red-team suite for safety. Paths are relative to the file.
/// </summary>
public sealed class ExperimentSpec
{
    public string Name { get; set; } = "experiment";

    /// <summary>Where runs and the table go (relative to the file); --output overrides.</summary>
    public string? Output { get; set; }

    /// <summary>The model the others are compared with (default: the first).</summary>
    public string? Baseline { get; set; }

    public List<ExperimentModel> Models { get; set; } = [];

    public ExperimentEval? Eval { get; set; }

    public ExperimentRedTeam? Redteam { get; set; }

    public int Seed { get; set; } = 1;

    public int Concurrency { get; set; } = 8;

    /// <summary>Longest reply, for evaluation and red teaming (each runner's default when unset).</summary>
    public int? MaxTokens { get; set; }

    /// <summary>The file it was read from.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string SourcePath { get; set; } = string.Empty;

    public static ExperimentSpec Load(string path)
    {
        var spec = YamlFile.Read<ExperimentSpec>(path);
        spec.SourcePath = Path.GetFullPath(path);
        if (spec.Models.Count == 0)
        {
            throw new InputException("an experiment names at least one model under 'models'", path, null, "models");
        }

        for (var i = 0; i < spec.Models.Count; i++)
        {
            var model = spec.Models[i];
            if (string.IsNullOrWhiteSpace(model.Name) || string.IsNullOrWhiteSpace(model.Spec))
            {
                throw new InputException($"model {i + 1} needs a 'name' and a 'spec'", path, i + 1, "models");
            }

            if (model.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || model.Name is "." or "..")
            {
                throw new InputException($"model name '{model.Name}' cannot be a folder name", path, i + 1, "models.name");
            }
        }

        if (spec.Models.Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != spec.Models.Count)
        {
            throw new InputException("two models have the same name", path, null, "models");
        }

        if (spec.Baseline is not null && spec.Models.All(m => m.Name != spec.Baseline))
        {
            throw new InputException($"baseline '{spec.Baseline}' is not one of the models", path, null, "baseline");
        }

        if (spec.Eval is null && spec.Redteam is null)
        {
            throw new InputException("an experiment needs 'eval' tasks, a 'redteam' suite, or both", path);
        }

        if (spec.Eval is { Tasks.Count: 0 })
        {
            throw new InputException("'eval' names no tasks", path, null, "eval.tasks");
        }

        return spec;
    }

    /// <summary>A path from the file, relative to its folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Path.GetDirectoryName(SourcePath)!);
}

public sealed class ExperimentModel
{
    public string Name { get; set; } = string.Empty;

    /// <summary>A model spec (openai:..., ollama:..., gguf:...) or a name from secforge.yaml.</summary>
    public string Spec { get; set; } = string.Empty;

    /// <summary>With the foundation-sec protocol: whether this is a base model (5-shot raw completion).</summary>
    public bool Base { get; set; }
}

public sealed class ExperimentEval
{
    /// <summary>Built-in task names or custom task YAML files.</summary>
    public List<string> Tasks { get; set; } = [];

    /// <summary>The benchmarks' files.</summary>
    public string? Data { get; set; }

    public string Protocol { get; set; } = "benchmark";

    public int? Limit { get; set; }

    public int? Trials { get; set; }
}

public sealed class ExperimentRedTeam
{
    /// <summary>"all", "none", or OWASP ids.</summary>
    public string Owasp { get; set; } = "all";

    /// <summary>"all", "none", or cyber-harm categories.</summary>
    public string Harms { get; set; } = "all";

    public bool Benign { get; set; } = true;

    public string Strategies { get; set; } = "plain";

    /// <summary>Seed intents per plugin and harm category.</summary>
    public int? Limit { get; set; }

    /// <summary>A judge model for checks only a judge can decide.</summary>
    public string? Judge { get; set; }

    /// <summary>An attack set file from 'redteam generate' instead of the selection above.</summary>
    public string? Attacks { get; set; }
}
