using System.Text;
using SecForge.Curation.Pipeline;

namespace SecForge.Curation.Dedup;

/// <summary>
/// The corpus-wide dedup stage, run over documents in corpus order on one thread (the first of a group wins):
/// exact duplicates by normalised text and by URL, near duplicates by MinHash LSH bands, then duplicate
/// paragraphs (Foundation-Sec's paragraph-level n-gram Bloom filter) removed from the documents that remain.
/// </summary>
public sealed class CorpusDeduplicator
{
    private readonly DedupConfig _config;
    private readonly HashSet<ulong> _texts = [];
    private readonly HashSet<string> _urls = new(StringComparer.Ordinal);
    private readonly HashSet<ulong>[] _bands;
    private readonly BloomFilter? _paragraphs;

    public CorpusDeduplicator(DedupConfig config, int minChars)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        MinChars = minChars;
        _bands = Enumerable.Range(0, config.Minhash.Bands).Select(_ => new HashSet<ulong>()).ToArray();
        if (config.Paragraphs.Enabled)
        {
            _paragraphs = new BloomFilter((long)config.Paragraphs.BloomMb * 1024 * 1024);
        }
    }

    /// <summary>Documents shorter than this after paragraph removal are dropped.</summary>
    public int MinChars { get; }

    /// <summary>Paragraphs removed so far.</summary>
    public long ParagraphsRemoved { get; private set; }

    /// <summary>The paragraph Bloom filter, for reporting its size and false-positive rate.</summary>
    public BloomFilter? ParagraphFilter => _paragraphs;

    /// <summary>Decides a document: null when it is kept (its text possibly shortened), else the drop reason.</summary>
    public string? Check(ulong textHash, string? url, ulong[]? bandHashes, ref string text)
    {
        if (_config.Exact && !_texts.Add(textHash))
        {
            return "dedup:exact";
        }

        if (_config.Url && NormalizeUrl(url) is { } normalized && !_urls.Add(normalized))
        {
            return "dedup:url";
        }

        if (_config.Minhash.Enabled && bandHashes is not null)
        {
            var seen = false;
            for (var band = 0; band < bandHashes.Length && band < _bands.Length; band++)
            {
                // Every band is recorded, even of a duplicate, so a chain of near copies is caught whole.
                seen |= !_bands[band].Add(bandHashes[band]);
            }

            if (seen)
            {
                return "dedup:near";
            }
        }

        if (_paragraphs is not null)
        {
            var (kept, removedChars, total) = RemoveDuplicateParagraphs(text);
            if (removedChars > 0)
            {
                if (total > 0 && (double)removedChars / total > _config.Paragraphs.MaxRemovedFraction || kept.Length < MinChars)
                {
                    return "dedup:paragraphs";
                }

                text = kept;
            }
        }

        return null;
    }

    /// <summary>Lower-case scheme and host, no fragment, no trailing slash: the same page under its usual spellings.</summary>
    public static string? NormalizeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : string.Empty;
        return $"{uri.Host.ToLowerInvariant()}{(uri.IsDefaultPort ? string.Empty : ":" + uri.Port)}{path}{uri.Query}";
    }

    private (string Text, int RemovedChars, int TotalChars) RemoveDuplicateParagraphs(string text)
    {
        var settings = _config.Paragraphs;
        var blocks = Blocks(text);
        var output = new StringBuilder(text.Length);
        var removed = 0;
        var total = 0;
        foreach (var block in blocks)
        {
            total += block.Length;
            var words = TextShingles.WordHashes(block);

            // Headings are structure, not boilerplate: "## Mitigation" recurs in every advisory and must stay.
            if (words.Count < settings.MinWords || block.StartsWith('#'))
            {
                Append(output, block);
                continue;
            }

            var grams = TextShingles.NgramHashes(words, settings.Ngram);
            var seen = 0;
            foreach (var gram in grams)
            {
                if (_paragraphs!.Add(gram))
                {
                    seen++;
                }
            }

            if ((double)seen / grams.Length >= settings.Threshold)
            {
                removed += block.Length;
                ParagraphsRemoved++;
                continue;
            }

            Append(output, block);
        }

        return (output.ToString(), removed, total);
    }

    private static void Append(StringBuilder output, string block)
    {
        if (output.Length > 0)
        {
            output.Append("\n\n");
        }

        output.Append(block);
    }

    /// <summary>Paragraphs split at blank lines; a fenced code block is one block even across blank lines.</summary>
    internal static List<string> Blocks(string text)
    {
        var blocks = new List<string>();
        var current = new StringBuilder();
        var inFence = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.Trim().Length == 0)
            {
                if (current.Length > 0)
                {
                    blocks.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(line);
        }

        if (current.Length > 0)
        {
            blocks.Add(current.ToString());
        }

        return blocks;
    }
}
