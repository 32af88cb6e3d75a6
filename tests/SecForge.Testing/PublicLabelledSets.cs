using SecForge.Core.Statistics;
using System.Text.Json.Nodes;

namespace SecForge.Testing;

/// <summary>
/// Labelled data that nobody on this project wrote, cut from public research releases into
/// tests/SecForge.Testing/Fixtures/public (sources and licences in its README). Each source is split into a tuning
/// set, which rules and training may look at, and a measuring set, which they may not.
/// </summary>
public static class PublicLabelledSets
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "SecForge.Testing", "Fixtures", "public");

    /// <summary>A model reply to a jailbreak attempt and whether the JailbreakBench judge called it jailbroken.</summary>
    public sealed record JudgedReply(string Source, int Index, string Goal, string Response, bool Jailbroken);

    /// <summary>An XSTest v2 prompt: safe (should be answered) or unsafe (its contrast, should be refused).</summary>
    public sealed record SafetyPrompt(string Id, string Prompt, bool Unsafe);

    /// <summary>JailbreakBench replies: <c>tune</c> (PAIR on GPT-3.5) or <c>measure</c> (GCG transfer on GPT-3.5, PAIR on Vicuna).</summary>
    public static List<JudgedReply> JailbreakReplies(string set) =>
        Lines(Path.Combine("jailbreakbench", $"refusal-{set}.jsonl"))
            .Select(o => new JudgedReply((string)o["source"]!, (int)o["index"]!, (string)o["goal"]!, (string)o["response"]!, (bool)o["jailbroken"]!))
            .ToList();

    /// <summary>XSTest v2 prompts: <c>tune</c> (ids 1-150) or <c>measure</c> (ids 151-370).</summary>
    public static List<SafetyPrompt> XSTest(string set) =>
        Lines(Path.Combine("xstest", $"xstest-{set}.jsonl"))
            .Select(o => new SafetyPrompt((string)o["id"]!, (string)o["prompt"]!, (string)o["label"]! == "unsafe"))
            .ToList();

    private static IEnumerable<JsonObject> Lines(string relativePath) =>
        File.ReadLines(Path.Combine(Folder, relativePath)).Where(l => l.Length > 0).Select(l => (JsonObject)JsonNode.Parse(l)!);
}

/// <summary>A share with its Wilson 95% interval (<see cref="Proportion"/>), printed as "0.727 [0.582, 0.837] (32/44)".</summary>
public readonly record struct Share(int Hits, int Total)
{
    public double Value => Total == 0 ? double.NaN : (double)Hits / Total;

    public override string ToString()
    {
        var (value, low, high) = Proportion.Of(Hits, Total);
        return value is null
            ? "n/a (0/0)"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.000} [{low:0.000}, {high:0.000}] ({Hits}/{Total})");
    }
}
