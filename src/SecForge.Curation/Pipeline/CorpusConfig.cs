using SecForge.Core.Configuration;
using SecForge.Core.Errors;

namespace SecForge.Curation.Pipeline;

/// <summary>
/// corpus.yaml: what to read and every threshold of every stage. Paths are relative to the file. Property names
/// map to snake_case keys; defaults are Foundation-Sec's choices made security-aware.
/// </summary>
public sealed class CorpusConfig
{
    /// <summary>Inputs: files or folders, each with its format and field names.</summary>
    public List<InputConfig> Inputs { get; set; } = [];

    /// <summary>Loose files grouped into one shard.</summary>
    public int FilesPerShard { get; set; } = 200;

    /// <summary>Largest record read, in MiB (decompressed).</summary>
    public double MaxRecordMb { get; set; } = 16;

    /// <summary>The seed of every random choice (MinHash permutations).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Worker threads; 0 uses every core. Not part of the run's identity: output does not depend on it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Workers { get; set; }

    public ExtractConfig Extract { get; set; } = new();

    public LanguageConfig Language { get; set; } = new();

    public RelevanceConfig Relevance { get; set; } = new();

    public QualityConfig Quality { get; set; } = new();

    public ScrubConfig Scrub { get; set; } = new();

    public DedupConfig Dedup { get; set; } = new();

    public DecontaminationConfig Decontaminate { get; set; } = new();

    public TokenizeConfig Tokenize { get; set; } = new();

    public OutputConfig Output { get; set; } = new();

    /// <summary>The directory relative paths are resolved against (the config file's).</summary>
    public string BaseDirectory { get; set; } = ".";

    /// <summary>Loads <paramref name="path"/>; paths inside are resolved against its directory.</summary>
    public static CorpusConfig Load(string path)
    {
        var config = YamlFile.Read<CorpusConfig>(path);
        config.BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        config.Validate(path);
        return config;
    }

    /// <summary>Resolves a path written in the config.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>Checks values a run cannot start with, naming the field.</summary>
    public void Validate(string source)
    {
        if (Inputs.Count == 0)
        {
            throw new InputException("no inputs: list at least one file or folder under 'inputs'", source, field: "inputs");
        }

        for (var i = 0; i < Inputs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Inputs[i].Path))
            {
                throw new InputException("an input needs a 'path'", source, field: $"inputs[{i}].path");
            }

            var resolved = Resolve(Inputs[i].Path!);
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                throw new InputException($"input not found: {resolved}", source, field: $"inputs[{i}].path");
            }
        }

        if (FilesPerShard < 1)
        {
            throw new InputException("must be at least 1", source, field: "files_per_shard");
        }

        if (MaxRecordMb <= 0)
        {
            throw new InputException("must be positive", source, field: "max_record_mb");
        }

        if (Dedup.Minhash.Bands * Dedup.Minhash.Rows > 1024 || Dedup.Minhash.Bands < 1 || Dedup.Minhash.Rows < 1)
        {
            throw new InputException("bands × rows must be between 1 and 1024", source, field: "dedup.minhash");
        }

        if (Tokenize.SequenceLength < 16)
        {
            throw new InputException("must be at least 16", source, field: "tokenize.sequence_length");
        }
    }
}

/// <summary>One input: a file or folder.</summary>
public sealed class InputConfig
{
    public string? Path { get; set; }

    /// <summary>auto (by extension), warc, jsonl, parquet, html, text, pdf.</summary>
    public string Format { get; set; } = "auto";

    public string TextField { get; set; } = "text";

    public string IdField { get; set; } = "id";

    public string UrlField { get; set; } = "url";

    /// <summary>For JSONL and Parquet: "text" or "html".</summary>
    public string Content { get; set; } = "text";
}

public sealed class ExtractConfig
{
    public double TimeBudgetSeconds { get; set; } = 3;

    public bool IncludeTables { get; set; } = true;

    public bool IncludeTitle { get; set; } = true;

    /// <summary>Documents with less extracted text are dropped.</summary>
    public int MinChars { get; set; } = 200;
}

public sealed class LanguageConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>ISO 639-1 codes to keep.</summary>
    public List<string> Keep { get; set; } = ["en"];

    /// <summary>Below this confidence the document counts as undetermined.</summary>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>Keep documents whose language cannot be told (mostly identifiers, code, hashes).</summary>
    public bool KeepUndetermined { get; set; } = true;
}

public sealed class RelevanceConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>"default" or a YAML lexicon file; terms of both are used when <see cref="ExtendDefault"/> is set.</summary>
    public string Lexicon { get; set; } = "default";

    public bool ExtendDefault { get; set; } = true;

    /// <summary>Distinct lexicon terms a document needs to pass the prefilter.</summary>
    public int MinDistinctTerms { get; set; } = 3;

    /// <summary>Lexicon hits per 1,000 words a document needs.</summary>
    public double MinTermsPerThousandWords { get; set; } = 4;

    /// <summary>
    /// "default" (the shipped head), a head file trained by train-classifier, or "off" (lexicon only: the classifier
    /// costs about 0.1 s a document on two cores, for the documents that passed the lexicon and language).
    /// </summary>
    public string Classifier { get; set; } = "default";

    /// <summary>Probability of being security-relevant a document needs.</summary>
    public double Threshold { get; set; } = 0.5;
}

public sealed class QualityConfig
{
    public bool Enabled { get; set; } = true;

    public GopherQualityConfig Gopher { get; set; } = new();

    public GopherRepetitionConfig Repetition { get; set; } = new();

    public C4Config C4 { get; set; } = new();

    public FineWebConfig Fineweb { get; set; } = new();
}

public sealed class GopherQualityConfig
{
    public bool Enabled { get; set; } = true;

    public int MinWords { get; set; } = 50;

    public int MaxWords { get; set; } = 100_000;

    public double MinMeanWordLength { get; set; } = 3;

    /// <summary>Higher than Gopher's 10: hashes, paths and identifiers are long words in security text.</summary>
    public double MaxMeanWordLength { get; set; } = 14;

    public double MaxSymbolWordRatio { get; set; } = 0.1;

    public double MaxBulletLinesRatio { get; set; } = 0.9;

    public double MaxEllipsisLinesRatio { get; set; } = 0.3;

    /// <summary>Lower than Gopher's 0.8 words with a letter: IOC lists are mostly numbers and hashes.</summary>
    public double MinAlphaWordsRatio { get; set; } = 0.5;

    public int MinStopWords { get; set; } = 2;
}

public sealed class GopherRepetitionConfig
{
    public bool Enabled { get; set; } = true;

    public double MaxDuplicateLineFraction { get; set; } = 0.3;

    public double MaxDuplicateParagraphFraction { get; set; } = 0.3;

    public double MaxDuplicateLineCharFraction { get; set; } = 0.2;

    public double MaxDuplicateParagraphCharFraction { get; set; } = 0.2;

    public double MaxTop2GramFraction { get; set; } = 0.2;

    public double MaxTop3GramFraction { get; set; } = 0.18;

    public double MaxTop4GramFraction { get; set; } = 0.16;

    public double MaxDuplicate5GramFraction { get; set; } = 0.15;

    public double MaxDuplicate10GramFraction { get; set; } = 0.10;
}

public sealed class C4Config
{
    public bool Enabled { get; set; } = true;

    /// <summary>Lines need this many words (headings, table rows and code are exempt).</summary>
    public int MinWordsPerLine { get; set; } = 3;

    /// <summary>C4's curly-brace rule drops all code; off by default.</summary>
    public bool DropCurlyBrace { get; set; }

    public bool DropLoremIpsum { get; set; } = true;

    /// <summary>Lines of cookie notices, terms of use and JavaScript warnings are removed.</summary>
    public bool RemovePolicyLines { get; set; } = true;

    public int MinSentences { get; set; } = 3;
}

public sealed class FineWebConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>Share of lines that may end without punctuation; higher than FineWeb's 0.12 for tables and lists.</summary>
    public double MinLinesEndingInPunctuation { get; set; } = 0.05;

    public double MaxShortLineFraction { get; set; } = 0.67;

    public int ShortLineChars { get; set; } = 30;

    public double MaxDuplicateLineCharFraction { get; set; } = 0.1;

    public double MaxNewlineCharRatio { get; set; } = 0.3;
}

public sealed class ScrubConfig
{
    public bool Enabled { get; set; } = true;

    public bool Emails { get; set; } = true;

    public bool Phones { get; set; } = true;
}

public sealed class DedupConfig
{
    public bool Exact { get; set; } = true;

    public bool Url { get; set; } = true;

    public MinHashConfig Minhash { get; set; } = new();

    public ParagraphDedupConfig Paragraphs { get; set; } = new();
}

public sealed class MinHashConfig
{
    public bool Enabled { get; set; } = true;

    public int Ngram { get; set; } = 5;

    public int Bands { get; set; } = 14;

    public int Rows { get; set; } = 8;
}

public sealed class ParagraphDedupConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>Word n-gram size of paragraph shingles.</summary>
    public int Ngram { get; set; } = 5;

    /// <summary>A paragraph is a duplicate when this share of its n-grams was seen before.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Paragraphs with fewer words are never removed (headings, list labels).</summary>
    public int MinWords { get; set; } = 3;

    /// <summary>Bloom filter size in MiB (sets the false-positive rate; see stats.json).</summary>
    public int BloomMb { get; set; } = 64;

    /// <summary>A document that loses more than this share of its text to duplicate paragraphs is dropped.</summary>
    public double MaxRemovedFraction { get; set; } = 0.8;
}

public sealed class DecontaminationConfig
{
    /// <summary>Benchmark files (JSON, JSONL, CSV, TSV) whose text must not appear in the corpus.</summary>
    public List<string> Files { get; set; } = [];

    public int Ngram { get; set; } = 13;

    /// <summary>A document sharing this many benchmark n-grams is dropped.</summary>
    public int MinMatches { get; set; } = 1;
}

public sealed class TokenizeConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>"o200k_base", "cl100k_base", or a Hugging Face tokenizer.json path (Llama 3).</summary>
    public string Tokenizer { get; set; } = "o200k_base";

    /// <summary>The token appended after each document; the tokenizer's end-of-text token when empty.</summary>
    public string? EndOfText { get; set; }

    public int SequenceLength { get; set; } = 4096;
}

public sealed class OutputConfig
{
    public int DocumentsPerShard { get; set; } = 5000;

    public bool Megatron { get; set; } = true;

    public bool Packed { get; set; } = true;
}
