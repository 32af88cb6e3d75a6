using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecForge.Core.Errors;
using SecForge.Evaluation.Data;
using SecForge.Evaluation.Tasks;
using SecForge.Testing;

namespace SecForge.Evaluation.Tests;

/// <summary>
/// Every built-in task and the custom-task format, loaded from files damaged the ways real files are: a byte-order
/// mark, CRLF line ends, extra columns or fields, a quoted newline, an empty or missing field, a duplicated row,
/// bytes that are not UTF-8, a cut-off last line. A load either gives the items with each unusable row skipped and
/// counted (file:line and why), or, when the file is unusable as a whole, one line naming the file: never a crash.
/// Runs on the project's fixtures always, and on the real format samples when ../shared has them.
/// </summary>
public sealed class LoaderFuzzTests
{
    public enum Mutation
    {
        ByteOrderMark,
        CrLf,
        ExtraColumn,
        QuotedNewline,
        EmptyField,
        MissingField,
        DuplicatedRow,
        InvalidUtf8,
        TruncatedLastLine,
    }

    /// <summary>Every task whose files the fixtures hold (CyberMetric's larger sizes share the 80's loader), and custom tasks.</summary>
    public static TheoryData<string, Mutation> FixtureCases() => Cases(new BenchmarkFiles(Fixtures.Folder), includeCustom: true);

    /// <summary>Every task whose files the real samples hold; all tasks (to be skipped) where ../shared is absent.</summary>
    public static TheoryData<string, Mutation> SampleCases() => Cases(BenchmarkSamples.Folder is { } folder ? new BenchmarkFiles(folder) : null, includeCustom: false);

    private static TheoryData<string, Mutation> Cases(BenchmarkFiles? files, bool includeCustom)
    {
        var data = new TheoryData<string, Mutation>();
        var tasks = BuiltinTasks.All.Where(t => files is null || files.Find(t.Files[0]) is not null).Select(t => t.Name);
        foreach (var task in includeCustom ? tasks.Append("custom") : tasks)
        {
            foreach (var mutation in Enum.GetValues<Mutation>())
            {
                data.Add(task, mutation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void OnTheFixtures_ADamagedFileGivesCountedSkipsOrOneLine_NeverACrash(string task, Mutation mutation) =>
        Check(Fixtures.Folder, task, mutation);

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void OnTheRealSamples_ADamagedFileGivesCountedSkipsOrOneLine_NeverACrash(string task, Mutation mutation)
    {
        Assert.SkipWhen(BenchmarkSamples.Folder is null, BenchmarkSamples.Missing);
        Check(BenchmarkSamples.Folder!, task, mutation);
    }

    private static void Check(string source, string taskName, Mutation mutation)
    {
        using var directory = new TempDirectory();
        CopyTree(source, directory.Path);
        var (task, itemFile) = Task(taskName, directory);
        Assert.NotNull(itemFile);
        var before = task.Load(new BenchmarkFiles(directory.Path));
        Assert.Empty(before.Skipped);
        var original = File.ReadAllBytes(itemFile!);
        File.WriteAllBytes(itemFile!, Mutate(original, itemFile!, mutation));

        TaskData after;
        try
        {
            after = task.Load(new BenchmarkFiles(directory.Path));
        }
        catch (InputException exception)
        {
            // The file is unusable as a whole: one line that names it.
            Assert.DoesNotContain('\n', exception.Message);
            Assert.Contains(Path.GetFileName(itemFile!), exception.Message, StringComparison.Ordinal);
            Assert.True(mutation is Mutation.InvalidUtf8 or Mutation.TruncatedLastLine or Mutation.MissingField or Mutation.EmptyField, $"{mutation} should not make {Path.GetFileName(itemFile!)} unusable: {exception.Message}");
            return;
        }

        Assert.All(after.Skipped, s => Assert.StartsWith(Path.GetFileName(itemFile!), s.Source, StringComparison.Ordinal));
        Assert.All(after.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        var n = before.Samples.Count;
        switch (mutation)
        {
            case Mutation.ByteOrderMark or Mutation.CrLf or Mutation.ExtraColumn:
                Assert.Empty(after.Skipped);
                Assert.Equal(n, after.Samples.Count);
                Assert.Equal(before.Samples.Select(s => s.Target), after.Samples.Select(s => s.Target));
                break;
            case Mutation.QuotedNewline when Path.GetExtension(itemFile) is ".tsv" or ".csv":
                // A quoted field may span lines: the row is read whole, with the newline inside it.
                Assert.Empty(after.Skipped);
                Assert.Equal(n, after.Samples.Count);
                Assert.Contains(after.Samples, s => (s.Question + s.NativePrompt + s.Target + string.Concat(s.Choices ?? [])).Contains("\nsecond line", StringComparison.Ordinal));
                break;
            case Mutation.DuplicatedRow:
                // A copied row is a new item (ids by position), a skipped duplicate id, or a row the task leaves out
                // anyway (another language, another SEvenLLM task): never lost unseen, never fatal.
                Assert.InRange(after.Samples.Count + after.Skipped.Count, n, n + 1);
                Assert.All(after.Skipped, s => Assert.Matches("already used|no gold actor", s.Reason));
                break;
            case Mutation.InvalidUtf8:
                Assert.InRange(after.Samples.Count, n - 1, n);
                Assert.Equal(n - after.Samples.Count, after.Skipped.Count);
                Assert.All(after.Skipped, s => Assert.Contains("not valid UTF-8", s.Reason, StringComparison.Ordinal));
                break;
            default:
                // An empty or missing field, a newline inside a JSON value, a cut-off last line: the one row is skipped
                // with its reason, or still usable when the field was one the task does not need (a cut-off line the
                // task would have left out anyway is still counted: it could not be read to tell).
                Assert.InRange(after.Samples.Count, n - 1, n);
                Assert.InRange(after.Skipped.Count, n - after.Samples.Count, 1);
                break;
        }
    }

    /// <summary>The task, and the file of its items that the mutation damages.</summary>
    private static (EvalTask Task, string? ItemFile) Task(string name, TempDirectory directory)
    {
        if (name == "custom")
        {
            File.WriteAllText(directory.File("quiz.jsonl"), string.Join('\n', Enumerable.Range(1, 6).Select(i => $"{{\"id\": \"q{i}\", \"question\": \"Which port does service {i} use?\", \"choices\": [\"21\", \"445\", \"3389\", \"53\"], \"answer\": \"B\"}}")) + "\n");
            File.WriteAllText(directory.File("quiz.yaml"), "name: quiz\ndata: quiz.jsonl\ntype: multiple_choice\n");
            return (CustomTask.Load(directory.File("quiz.yaml")), directory.File("quiz.jsonl"));
        }

        var task = BuiltinTasks.Find(name)!;
        var files = new BenchmarkFiles(directory.Path);
        return (task, files.Find(task.Files[0]));
    }

    private const string BadBytesMarker = "@@NOT-UTF8@@";

    private static byte[] Mutate(byte[] bytes, string path, Mutation mutation)
    {
        var text = Encoding.UTF8.GetString(bytes);
        switch (mutation)
        {
            case Mutation.ByteOrderMark:
                return [0xEF, 0xBB, 0xBF, .. bytes];
            case Mutation.CrLf:
                return Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
        }

        var extension = Path.GetExtension(path);
        string mutated;
        if (extension is ".tsv" or ".csv")
        {
            mutated = MutateTable(text, extension == ".tsv" ? '\t' : ',', headerless: extension == ".csv", mutation);
        }
        else if (extension == ".json")
        {
            mutated = MutateJsonList(text, mutation);
        }
        else
        {
            mutated = MutateJsonLines(text, mutation);
        }

        // Bytes that are never UTF-8 where the marker is.
        var encoded = Encoding.UTF8.GetBytes(mutated);
        var marker = Encoding.UTF8.GetBytes(BadBytesMarker);
        var at = encoded.AsSpan().IndexOf(marker);
        return at < 0 ? encoded : [.. encoded[..at], 0xFF, 0xFE, .. encoded[(at + marker.Length)..]];
    }

    /// <summary>A table damaged in its second data row (rows parsed and written back with proper quoting).</summary>
    private static string MutateTable(string text, char delimiter, bool headerless, Mutation mutation)
    {
        var rows = TabularReader.Parse(text, delimiter).Select(r => r.Fields.ToList()).ToList();
        var second = headerless ? 1 : 2;
        var cells = rows[second];
        var longest = cells.Select((c, i) => (c.Length, i)).Max().i;
        switch (mutation)
        {
            case Mutation.ExtraColumn:
                for (var i = 0; i < rows.Count; i++)
                {
                    rows[i].Add(i == 0 && !headerless ? "Extra" : "x");
                }

                break;
            case Mutation.QuotedNewline:
                cells[longest] = cells[longest].Insert(Math.Min(5, cells[longest].Length), "\nsecond line");
                break;
            case Mutation.EmptyField:
                cells[^1] = string.Empty;
                break;
            case Mutation.MissingField:
                cells.RemoveAt(cells.Count - 1);
                break;
            case Mutation.DuplicatedRow:
                rows.Insert(second + 1, [.. cells]);
                break;
            case Mutation.InvalidUtf8:
                cells[longest] = cells[longest].Insert(cells[longest].Length / 2, BadBytesMarker);
                break;
            case Mutation.TruncatedLastLine:
                var written = Write(rows, delimiter);
                var lastStart = written.TrimEnd('\n').LastIndexOf('\n') + 1;
                return written[..(lastStart + ((written.TrimEnd('\n').Length - lastStart) / 2))];
        }

        return Write(rows, delimiter);
    }

    private static string Write(List<List<string>> rows, char delimiter) =>
        string.Concat(rows.Select(r => string.Join(delimiter, r.Select(c => c.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c)) + "\n"));

    /// <summary>A JSON list (top-level, or CyberMetric's "questions") damaged in its second item.</summary>
    private static string MutateJsonList(string text, Mutation mutation)
    {
        var root = JsonNode.Parse(text)!;
        var list = root as JsonArray ?? (JsonArray)root["questions"]!;
        if (mutation == Mutation.TruncatedLastLine)
        {
            // Cut the file inside its last item.
            Longest((JsonObject)list[^1]!, value => "@@LAST@@" + value);
            var written = root.ToJsonString(Indented);
            var cut = written.IndexOf("@@LAST@@", StringComparison.Ordinal);
            return written[..cut];
        }

        MutateItem((JsonObject)list[1]!, mutation, item => list.Insert(2, item));
        return root.ToJsonString(Indented);
    }

    /// <summary>A JSON Lines file damaged in its second line.</summary>
    private static string MutateJsonLines(string text, Mutation mutation)
    {
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        if (mutation == Mutation.TruncatedLastLine)
        {
            return string.Join('\n', lines.Take(lines.Count - 1)) + "\n" + lines[^1][..(lines[^1].Length / 2)];
        }

        var second = (JsonObject)JsonNode.Parse(lines[1])!;
        MutateItem(second, mutation, item => lines.Insert(2, item.ToJsonString()));
        lines[1] = second.ToJsonString();
        if (mutation == Mutation.ExtraColumn)
        {
            lines = lines.Select(l => ((JsonObject)JsonNode.Parse(l)!).Also(o => o["extra_field"] = 1).ToJsonString()).ToList();
        }

        return string.Join('\n', lines) + "\n";
    }

    private static void MutateItem(JsonObject item, Mutation mutation, Action<JsonObject> insertCopy)
    {
        switch (mutation)
        {
            case Mutation.ExtraColumn:
                item["extra_field"] = 1;
                break;
            case Mutation.QuotedNewline:
                Longest(item, value => value.Insert(Math.Min(5, value.Length), "\nsecond line"));
                break;
            case Mutation.EmptyField:
                Longest(item, _ => string.Empty);
                break;
            case Mutation.MissingField:
                var key = item.Select(p => p.Key).FirstOrDefault(k => k is "question" or "Text" or "instruction") ?? item.First(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).Key;
                item.Remove(key);
                break;
            case Mutation.DuplicatedRow:
                insertCopy((JsonObject)item.DeepClone());
                break;
            case Mutation.InvalidUtf8:
                Longest(item, value => value.Insert(value.Length / 2, BadBytesMarker));
                break;
        }
    }

    /// <summary>Changes the longest string value of <paramref name="item"/> (nested objects included).</summary>
    private static void Longest(JsonObject item, Func<string, string> change)
    {
        var best = Strings(item).OrderByDescending(x => x.Value.Length).First();
        best.Parent[best.Key] = change(best.Value);
    }

    private static IEnumerable<(JsonObject Parent, string Key, string Value)> Strings(JsonObject item)
    {
        foreach (var (key, value) in item.ToList())
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                yield return (item, key, v.GetValue<string>());
            }
            else if (value is JsonObject inner)
            {
                foreach (var nested in Strings(inner))
                {
                    yield return nested;
                }
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
