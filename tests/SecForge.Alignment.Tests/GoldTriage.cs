using System.Text.Json.Nodes;
using SecForge.Alignment.Triage;
using SecForge.Testing;

namespace SecForge.Alignment.Tests;

/// <summary>Triage from the labelled set's own labels, so rewriting is tested apart from triage accuracy.</summary>
internal sealed class GoldTriage : ITriage
{
    private readonly Dictionary<string, LabelledPair> _labels;

    public GoldTriage(IEnumerable<LabelledPair> pairs) => _labels = pairs.ToDictionary(p => p.Prompt, StringComparer.Ordinal);

    public string Name => "gold labels";

    public Task<TriageResult> TriageAsync(string prompt, string response, CancellationToken cancellationToken) =>
        Task.FromResult(_labels.TryGetValue(prompt, out var gold)
            ? new TriageResult(gold.Class, gold.Harm, 1, Name, "labelled " + TriageClasses.Name(gold.Class))
            : TriageResult.Failed(Name, "no gold label for this prompt"));
}

internal static class AlignmentSamples
{
    public static string LabelsPath => Path.Combine(RepositoryPaths.Root, "samples", "alignment", "labelled-pairs.jsonl");

    public static List<LabelledPair> Pairs => TriageTrainer.Read(LabelsPath);

    public static List<JsonObject> Records => File.ReadLines(LabelsPath).Where(l => l.Length > 0).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
}
