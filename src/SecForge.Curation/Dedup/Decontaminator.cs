using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.IO;

namespace SecForge.Curation.Dedup;

/// <summary>
/// Keeps benchmark text out of the corpus (as Foundation-Sec-Instruct did): every string of the configured
/// benchmark files (JSON, JSONL, CSV, TSV) becomes word n-gram hashes; a document sharing at least the
/// configured number of them is dropped. Thread-safe after construction.
/// </summary>
public sealed class Decontaminator
{
    private readonly HashSet<ulong> _grams = [];

    public Decontaminator(IEnumerable<string> files, int ngram = 13, int minMatches = 1)
    {
        ArgumentNullException.ThrowIfNull(files);
        Ngram = ngram;
        MinMatches = minMatches;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new InputException("benchmark file for decontamination not found", file);
            }

            foreach (var text in Strings(file))
            {
                var words = TextShingles.WordHashes(text);
                if (words.Count < Math.Min(ngram, 8))
                {
                    continue;
                }

                foreach (var gram in TextShingles.NgramHashes(words, ngram))
                {
                    _grams.Add(gram);
                }
            }

            Files++;
        }
    }

    public int Ngram { get; }

    public int MinMatches { get; }

    /// <summary>Benchmark files loaded.</summary>
    public int Files { get; }

    /// <summary>Distinct benchmark n-grams held.</summary>
    public int Grams => _grams.Count;

    /// <summary>How many benchmark n-grams <paramref name="text"/> contains.</summary>
    public int Matches(string text)
    {
        var matches = 0;
        foreach (var gram in TextShingles.NgramHashes(TextShingles.WordHashes(text), Ngram))
        {
            if (_grams.Contains(gram))
            {
                matches++;
            }
        }

        return matches;
    }

    /// <summary>True when <paramref name="text"/> overlaps the benchmarks enough to be dropped.</summary>
    public bool IsContaminated(string text) => _grams.Count > 0 && Matches(text) >= MinMatches;

    private static IEnumerable<string> Strings(string file)
    {
        var name = file.ToLowerInvariant();
        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".jsonl.gz", StringComparison.Ordinal) || name.EndsWith(".jsonl.zst", StringComparison.Ordinal))
        {
            using var reader = new StreamReader(CompressedFile.OpenRead(file));
            while (reader.ReadLine() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                JsonDocument? document = null;
                try
                {
                    document = JsonDocument.Parse(line);
                }
                catch (JsonException)
                {
                }

                if (document is null)
                {
                    yield return line;
                    continue;
                }

                using (document)
                {
                    foreach (var value in JsonStrings(document.RootElement))
                    {
                        yield return value;
                    }
                }
            }
        }
        else if (name.EndsWith(".json", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var value in JsonStrings(document.RootElement))
            {
                yield return value;
            }
        }
        else
        {
            // CSV, TSV and text: every line is text; cell boundaries hardly matter for 13-grams.
            foreach (var line in File.ReadLines(file))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> JsonStrings(JsonElement element)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(element);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            switch (current.ValueKind)
            {
                case JsonValueKind.String:
                    yield return current.GetString()!;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in current.EnumerateArray())
                    {
                        stack.Push(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in current.EnumerateObject())
                    {
                        stack.Push(property.Value);
                    }

                    break;
            }
        }
    }
}
