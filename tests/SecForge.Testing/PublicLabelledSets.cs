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

/// <summary>A share with its Wilson 95% interval, printed as "0.727 [0.581, 0.836] (32/44)".</summary>
public readonly record struct Share(int Hits, int Total)
{
    public double Value => Total == 0 ? double.NaN : (double)Hits / Total;

    public override string ToString()
    {
        const double Z = 1.959964;
        if (Total == 0)
        {
            return "n/a (0/0)";
        }

        var p = Value;
        var denominator = 1 + (Z * Z / Total);
        var centre = (p + (Z * Z / (2 * Total))) / denominator;
        var half = Z * Math.Sqrt((p * (1 - p) / Total) + (Z * Z / (4.0 * Total * Total))) / denominator;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p:0.000} [{Math.Max(0, centre - half):0.000}, {Math.Min(1, centre + half):0.000}] ({Hits}/{Total})");
    }
}
