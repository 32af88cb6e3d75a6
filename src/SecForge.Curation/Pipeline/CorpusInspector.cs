using System.Text.Json;
using SecForge.Core.IO;
using SecForge.Core.Json;
using SecForge.Curation.Tokenization;
using SecForge.Curation.Writers;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// Checks a corpus run's outputs against each other — every document shard decompresses and parses, the Megatron
/// index matches its data file and the document count, the packed file's header matches its size, every sequence
/// ends with end-of-text — and samples documents and tokens for a person to look at.
/// </summary>
public static class CorpusInspector
{
    public static InspectionReport Inspect(string directory, int documentSamples = 2, int tokenSamples = 32, CorpusTokenizer? tokenizer = null)
    {
        var lines = new List<string>();
        var problems = new List<string>();
        long documents = 0;
        var shardFiles = Directory.Exists(Path.Combine(directory, "documents"))
            ? Directory.GetFiles(Path.Combine(directory, "documents"), "docs-*.jsonl.zst").Order(StringComparer.Ordinal).ToArray()
            : [];
        var samples = new List<CorpusRecord>();
        foreach (var file in shardFiles)
        {
            long inFile = 0;
            try
            {
                using var reader = new StreamReader(CompressedFile.OpenRead(file));
                long line = 0;
                while (reader.ReadLine() is { } text)
                {
                    line++;
                    var record = JsonSerializer.Deserialize<CorpusRecord>(text, SecForgeJson.Compact);
                    if (record is null || string.IsNullOrEmpty(record.Text))
                    {
                        problems.Add($"{Path.GetFileName(file)}:{line}: a record without text");
                        continue;
                    }

                    inFile++;
                    if (samples.Count < documentSamples)
                    {
                        samples.Add(record);
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or JsonException or ZstdSharp.ZstdException)
            {
                problems.Add($"{Path.GetFileName(file)}: unreadable: {exception.Message}");
            }

            lines.Add($"{Path.GetRelativePath(directory, file)}: {inFile:N0} documents, {new FileInfo(file).Length:N0} bytes");
            documents += inFile;
        }

        if (shardFiles.Length == 0)
        {
            problems.Add("no document shards (documents/docs-*.jsonl.zst)");
        }

        var prefix = Path.Combine(directory, "tokens", "corpus_text_document");
        long megatronTokens = 0;
        int? endOfText = null;
        var packedFile = Directory.Exists(Path.Combine(directory, "tokens")) ? Directory.GetFiles(Path.Combine(directory, "tokens"), "packed-*.sfpack").FirstOrDefault() : null;
        PackedTokenReader? packed = null;
        if (packedFile is not null)
        {
            try
            {
                packed = PackedTokenReader.Open(packedFile);
                endOfText = packed.EndOfText;
                lines.Add($"{Path.GetRelativePath(directory, packedFile)}: {packed.Sequences:N0} sequences of {packed.SequenceLength:N0} tokens, end-of-text id {packed.EndOfText}");
            }
            catch (SecForge.Core.Errors.InputException exception)
            {
                problems.Add(exception.Message);
            }
        }

        if (File.Exists(prefix + ".idx"))
        {
            try
            {
                var megatron = MegatronIndexedDatasetReader.Open(prefix);
                megatronTokens = megatron.TotalTokens;
                lines.Add($"tokens/corpus_text_document.bin/.idx: {megatron.Count:N0} documents, {megatron.TotalTokens:N0} tokens, dtype {(megatron.DtypeCode == 8 ? "uint16" : "int32")}");
                if (megatron.Count != documents)
                {
                    problems.Add($"the Megatron index holds {megatron.Count:N0} documents but the shards hold {documents:N0}");
                }

                if (endOfText is { } eos)
                {
                    for (var i = 0; i < megatron.Count; i++)
                    {
                        var sequence = megatron.Read(i);
                        if (sequence.Length == 0 || sequence[^1] != eos)
                        {
                            problems.Add($"Megatron sequence {i} does not end with end-of-text ({eos})");
                            break;
                        }
                    }
                }

                if (megatron.Count > 0)
                {
                    var first = megatron.Read(0);
                    lines.Add($"first sequence, first {Math.Min(tokenSamples, first.Length)} ids: {string.Join(' ', first.Take(tokenSamples))}");
                    if (tokenizer is not null)
                    {
                        lines.Add($"decoded: {Quote(tokenizer.Decode(first.Take(tokenSamples)))}");
                    }
                }
            }
            catch (SecForge.Core.Errors.InputException exception)
            {
                problems.Add(exception.Message);
            }
        }

        if (packed is not null && megatronTokens > 0 && packed.Sequences != megatronTokens / packed.SequenceLength)
        {
            problems.Add($"the packed file holds {packed.Sequences:N0} sequences but {megatronTokens:N0} tokens make {megatronTokens / packed.SequenceLength:N0}");
        }

        foreach (var sample in samples)
        {
            lines.Add(string.Empty);
            lines.Add($"document {sample.Id} ({sample.Language}, {sample.Tokens:N0} tokens, {sample.SecurityTerms} security terms){(sample.Url is null ? string.Empty : " " + sample.Url)}");
            lines.Add(Quote(sample.Text.Length > 400 ? sample.Text[..400] + "…" : sample.Text));
        }

        lines.Insert(0, problems.Count == 0 ? $"OK: {documents:N0} documents, shards consistent" : $"{problems.Count} problem(s) found");
        lines.InsertRange(1, problems.Select(p => "problem: " + p));
        return new InspectionReport(documents, megatronTokens, packed?.Sequences ?? 0, problems, lines);
    }

    private static string Quote(string text) => "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);
}

/// <summary>What <see cref="CorpusInspector"/> found.</summary>
public sealed record InspectionReport(long Documents, long Tokens, long PackedSequences, IReadOnlyList<string> Problems, IReadOnlyList<string> Lines);
