using System.Text;
using System.Text.Json;
using SecForge.Core.Errors;

namespace SecForge.Curation.Extraction;

/// <summary>
/// Scores extracted text the way trafilatura's evaluation does: whitespace runs collapsed in the text and in each
/// snippet, then substring tests. Per page, "with" snippets found are true positives and missing ones false
/// negatives; "without" snippets found are false positives and absent ones true negatives; counts are summed.
/// </summary>
public static class ExtractionScorer
{
    /// <summary>Reads a gold file: page URL → {"file", "with": [...], "without": [...]}.</summary>
    public static IReadOnlyList<GoldPage> ReadGold(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var pages = new List<GoldPage>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (!value.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String)
                {
                    throw new InputException("the entry has no 'file'", path, field: property.Name);
                }

                pages.Add(new GoldPage(
                    property.Name,
                    file.GetString()!,
                    Strings(value, "with"),
                    Strings(value, "without")));
            }

            return pages;
        }
        catch (JsonException exception)
        {
            throw new InputException($"not valid JSON: {exception.Message}", path, exception.LineNumber + 1, innerException: exception);
        }
    }

    /// <summary>Scores one page's extracted text.</summary>
    public static ExtractionScore Score(GoldPage page, string? extracted)
    {
        var text = Normalize(extracted ?? string.Empty);
        var tp = page.With.Count(s => text.Contains(Normalize(s), StringComparison.Ordinal));
        var fp = page.Without.Count(s => text.Contains(Normalize(s), StringComparison.Ordinal));
        return new ExtractionScore(tp, fp, page.With.Count - tp, page.Without.Count - fp);
    }

    /// <summary>Collapses every whitespace run to one space and trims.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
            }
            else
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                space = false;
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string[] Strings(JsonElement value, string name) =>
        value.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : [];
}

/// <summary>A page of an extraction benchmark.</summary>
public sealed record GoldPage(string Url, string File, IReadOnlyList<string> With, IReadOnlyList<string> Without);

/// <summary>Summed confusion counts and the metrics derived from them.</summary>
public sealed record ExtractionScore(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double Accuracy
    {
        get
        {
            var all = TruePositives + FalsePositives + FalseNegatives + TrueNegatives;
            return all == 0 ? 0 : (double)(TruePositives + TrueNegatives) / all;
        }
    }

    public static ExtractionScore operator +(ExtractionScore a, ExtractionScore b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    public static ExtractionScore Add(ExtractionScore a, ExtractionScore b) => a + b;

    public static ExtractionScore Zero { get; } = new(0, 0, 0, 0);
}
