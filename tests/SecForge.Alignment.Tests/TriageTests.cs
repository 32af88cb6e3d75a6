using SecForge.Testing;
using SecForge.Alignment.Triage;

namespace SecForge.Alignment.Tests;

public sealed class TriageTests(ITestOutputHelper output)
{
    private static string LabelsPath => Path.Combine(RepositoryPaths.Root, "samples", "alignment", "labelled-pairs.jsonl");

    [Fact]
    public void Labelled_set_has_at_least_300_pairs_of_every_class_and_category()
    {
        var pairs = TriageTrainer.Read(LabelsPath);
        Assert.True(pairs.Count >= 300, $"{pairs.Count} pairs");
        Assert.All(TriageClasses.All, label => Assert.True(pairs.Count(p => p.Class == label) >= 90, label.ToString()));
        Assert.All(TriageClasses.CategoryNames, category => Assert.Contains(pairs, p => p.Category == category));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Cross_validated_accuracy_of_the_builtin_triage()
    {
        var pairs = TriageTrainer.Read(LabelsPath);
        var embeddings = TriageTrainer.Embed(pairs, TestContext.Current.CancellationToken);
        var evaluation = TriageTrainer.CrossValidate(pairs, embeddings, folds: 5, seed: 1);
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(evaluation));
        Assert.True(evaluation.LabelAccuracy >= 0.8, $"label accuracy {evaluation.LabelAccuracy}");
        Assert.True(evaluation.CategoryAccuracy >= 0.8, $"category accuracy {evaluation.CategoryAccuracy}");
    }
}

public sealed class LabelFileTests
{
    [Fact]
    public void A_bad_labels_file_names_the_line_and_field()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("labels.jsonl"), "{\"instruction\": \"Explain the CIA triad.\", \"output\": \"x\", \"label\": \"benign\", \"category\": \"none\"}\n{\"instruction\": 42, \"output\": \"x\", \"label\": \"benign\", \"category\": \"none\"}\n");
        var error = Assert.Throws<Core.Errors.InputException>(() => TriageTrainer.Read(temp.File("labels.jsonl")));
        Assert.Equal(2, error.Record);
        Assert.Equal("instruction", error.Field);
        File.WriteAllText(temp.File("labels.jsonl"), "{\"instruction\": \"q\", \"output\": \"x\", \"label\": \"risky\", \"category\": \"none\"}\n");
        Assert.Equal("label", Assert.Throws<Core.Errors.InputException>(() => TriageTrainer.Read(temp.File("labels.jsonl"))).Field);
    }
}
