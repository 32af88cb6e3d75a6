using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using SecForge.Core.Errors;

namespace SecForge.Curation.Tokenization;

/// <summary>
/// The tokenizer a corpus is written with: a Hugging Face <c>tokenizer.json</c> of a byte-level BPE model such
/// as Llama 3's (built as a tiktoken-style tokenizer, which reproduces its ids), or the built-in
/// <c>o200k_base</c> / <c>cl100k_base</c>. Thread-safe.
/// </summary>
public sealed class CorpusTokenizer
{
    /// <summary>Llama 3's pre-tokenizer split, as its tokenizer.json states it.</summary>
    internal const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly string[] EndOfTextCandidates = ["<|end_of_text|>", "<|endoftext|>", "</s>"];

    private readonly ByteLevelBpe? _bpe;

    private CorpusTokenizer(Tokenizer tokenizer, string name, int vocabularySize, int endOfText, string endOfTextToken, ByteLevelBpe? bpe = null)
    {
        _bpe = bpe;
        Tokenizer = tokenizer;
        Name = name;
        VocabularySize = vocabularySize;
        EndOfText = endOfText;
        EndOfTextToken = endOfTextToken;
    }

    /// <summary>The Microsoft.ML.Tokenizers tokenizer (the reference path; Llama 3 encodes through a faster equivalent).</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>"o200k_base", "cl100k_base" or the tokenizer.json path.</summary>
    public string Name { get; }

    /// <summary>Ids run from 0 to this (exclusive), special tokens included.</summary>
    public int VocabularySize { get; }

    /// <summary>The id written after each document.</summary>
    public int EndOfText { get; }

    /// <summary>The end-of-text token's text.</summary>
    public string EndOfTextToken { get; }

    /// <summary>Creates the tokenizer a config names; <paramref name="endOfText"/> overrides the end-of-text token.</summary>
    public static CorpusTokenizer Create(string spec, string? endOfText = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (spec is "o200k_base" or "cl100k_base")
        {
            var tokenizer = TiktokenTokenizer.CreateForEncoding(spec);
            var eos = endOfText ?? "<|endoftext|>";
            var id = tokenizer.SpecialTokens?.TryGetValue(eos, out var value) == true
                ? value
                : throw new InputException($"{spec} has no special token '{eos}'", null, field: "tokenize.end_of_text");
            var size = spec == "o200k_base" ? 200_019 : 100_277;
            return new CorpusTokenizer(tokenizer, spec, size, id, eos);
        }

        if (spec.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromTokenizerJson(spec, endOfText);
        }

        throw new InputException($"unknown tokenizer '{spec}': use o200k_base, cl100k_base or the path of a tokenizer.json", null, field: "tokenize.tokenizer");
    }

    /// <summary>Appends the ids of <paramref name="text"/> (special-token text is encoded as text, never as control tokens).</summary>
    public void Encode(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        if (_bpe is not null)
        {
            _bpe.Encode(text, ids);
            return;
        }

        ids.AddRange(Tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true));
    }

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        Encode(text, ids);
        return ids;
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) =>
        _bpe is not null ? Encoding.UTF8.GetString(_bpe.DecodeBytes(ids)) : Tokenizer.Decode(ids);

    private static CorpusTokenizer FromTokenizerJson(string path, string? endOfText)
    {
        if (!File.Exists(path))
        {
            throw new InputException("tokenizer.json not found", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.GetProperty("type").GetString() != "BPE" || !model.TryGetProperty("vocab", out var vocab))
        {
            throw new InputException("only byte-level BPE tokenizer.json files (Llama 3, GPT-2 style) are supported", path, field: "model.type");
        }

        var unicodeToByte = new Dictionary<char, byte>();
        var byteToUnicode = SecForge.Models.Gguf.TinyLlamaModel.ByteToUnicode();
        for (var b = 0; b < 256; b++)
        {
            unicodeToByte[byteToUnicode[b]] = (byte)b;
        }

        // Tiktoken's format: one "base64(bytes) rank" line per token; a token's id is its merge rank.
        var ranks = new StringBuilder(vocab.EnumerateObject().Count() * 16);
        var latin1 = new Dictionary<string, int>(StringComparer.Ordinal);
        var maxId = 0;
        var bytes = new List<byte>(32);
        foreach (var entry in vocab.EnumerateObject())
        {
            bytes.Clear();
            foreach (var c in entry.Name)
            {
                if (!unicodeToByte.TryGetValue(c, out var b))
                {
                    throw new InputException($"vocabulary entry '{entry.Name}' is not byte-level BPE", path, field: "model.vocab");
                }

                bytes.Add(b);
            }

            var id = entry.Value.GetInt32();
            maxId = Math.Max(maxId, id);
            latin1[Encoding.Latin1.GetString(bytes.ToArray())] = id;
            ranks.Append(Convert.ToBase64String(bytes.ToArray())).Append(' ').Append(id).Append('\n');
        }

        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added))
        {
            foreach (var token in added.EnumerateArray())
            {
                var id = token.GetProperty("id").GetInt32();
                specials[token.GetProperty("content").GetString()!] = id;
                maxId = Math.Max(maxId, id);
            }
        }

        var pattern = PreTokenizerPattern(root) ?? Llama3Pattern;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ranks.ToString()));
        var preTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), specials);
        var tokenizer = TiktokenTokenizer.Create(stream, preTokenizer, normalizer: null, specials);
        var eos = endOfText ?? EndOfTextCandidates.FirstOrDefault(specials.ContainsKey)
            ?? throw new InputException("the tokenizer has no end-of-text token; name one in tokenize.end_of_text", path);
        if (!specials.TryGetValue(eos, out var eosId))
        {
            throw new InputException($"the tokenizer has no special token '{eos}'", path, field: "tokenize.end_of_text");
        }

        // Llama 3's split has a hand-written scanner; other splits go through the regex path.
        var bpe = pattern == Llama3Pattern ? new ByteLevelBpe(latin1, specials, maxId + 1) : null;
        return new CorpusTokenizer(tokenizer, path, maxId + 1, eosId, eos, bpe);
    }

    private static string? PreTokenizerPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var stack = new Stack<JsonElement>();
        stack.Push(pre);
        while (stack.Count > 0)
        {
            var element = stack.Pop();
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("type", out var type) && type.GetString() == "Split" &&
                    element.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("Regex", out var regex))
                {
                    return regex.GetString();
                }

                foreach (var property in element.EnumerateObject())
                {
                    stack.Push(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    stack.Push(item);
                }
            }
        }

        return null;
    }
}
