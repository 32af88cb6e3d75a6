using SecForge.Core.Errors;
using SecForge.Experiments;
using SecForge.Testing;

namespace SecForge.Experiments.Tests;

public sealed class ExperimentSpecTests
{
    [Fact]
    public void Load_ReadsModelsTasksAndSuite_WithPathsRelativeToTheFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("experiment.yaml");
        File.WriteAllText(path, """
            name: drop-after-tuning
            baseline: tuned
            seed: 7
            models:
              - name: base
                spec: ollama:llama3.1:8b
              - name: tuned
                spec: gguf:models/tuned.gguf
                base: true
            eval:
              tasks: [cybermetric-80, tasks/soc.yaml]
              data: bench
              limit: 20
            redteam:
              owasp: LLM01,LLM07
              harms: malware
              strategies: plain,base64
            """);
        var spec = ExperimentSpec.Load(path);
        Assert.Equal("drop-after-tuning", spec.Name);
        Assert.Equal("tuned", spec.Baseline);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(["base", "tuned"], spec.Models.Select(m => m.Name));
        Assert.True(spec.Models[1].Base);
        Assert.Equal(["cybermetric-80", "tasks/soc.yaml"], spec.Eval!.Tasks);
        Assert.Equal(Path.Combine(directory.Path, "bench"), spec.Resolve(spec.Eval.Data!));
        Assert.Equal("LLM01,LLM07", spec.Redteam!.Owasp);
    }

    [Theory]
    [InlineData("name: x\nmodels: []\neval:\n  tasks: [a]\n", "models", "at least one model")]
    [InlineData("name: x\nmodels:\n  - name: a\n    spec: ollama:a\n  - name: A\n    spec: ollama:b\neval:\n  tasks: [a]\n", "models", "same name")]
    [InlineData("name: x\nmodels:\n  - name: a/b\n    spec: ollama:a\neval:\n  tasks: [a]\n", "models.name", "cannot be a folder name")]
    [InlineData("name: x\nmodels:\n  - name: a\n    spec: ollama:a\nbaseline: b\neval:\n  tasks: [a]\n", "baseline", "is not one of the models")]
    [InlineData("name: x\nmodels:\n  - name: a\n    spec: ollama:a\n", null, "needs 'eval' tasks, a 'redteam' suite")]
    [InlineData("name: x\nmodels:\n  - name: a\n    spec: ollama:a\neval:\n  tasks: []\n", "eval.tasks", "names no tasks")]
    public void Load_NamesTheFileAndFieldOfAMistake(string yaml, string? field, string message)
    {
        using var directory = new TempDirectory();
        var path = directory.File("bad.yaml");
        File.WriteAllText(path, yaml);
        var exception = Assert.Throws<InputException>(() => ExperimentSpec.Load(path));
        Assert.Equal(field, exception.Field);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yaml", exception.Message, StringComparison.Ordinal);
    }
}
