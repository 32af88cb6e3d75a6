using System.Runtime.InteropServices;
using System.Text;

namespace SecForge.Curation.Tokenization;

/// <summary>
/// Byte-level BPE in tiktoken's form (a token's id is its merge rank, and a pre-token found whole in the
/// vocabulary is one token, as Llama 3's <c>ignore_merges</c> says): UTF-8 bytes of each pre-token merged pair by
/// pair, lowest rank first. Tokens are looked up as byte sequences widened to chars, without allocating;
/// each thread caches its recent pre-tokens.
/// </summary>
internal sealed class ByteLevelBpe
{
    private const int CacheLimit = 200_000;
    private readonly Dictionary<string, int> _ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly byte[][] _bytesById;
    private readonly Dictionary<string, int> _specials;
    [ThreadStatic]
    private static ByteLevelBpe? _cacheOwner;

    [ThreadStatic]
    private static Dictionary<string, int[]>? _threadCache;

    public ByteLevelBpe(Dictionary<string, int> ranksByLatin1Bytes, Dictionary<string, int> specials, int vocabularySize)
    {
        _ranks = ranksByLatin1Bytes;
        _lookup = _ranks.GetAlternateLookup<ReadOnlySpan<char>>();
        _specials = specials;
        _bytesById = new byte[vocabularySize][];
        foreach (var (bytes, id) in _ranks)
        {
            _bytesById[id] = Encoding.Latin1.GetBytes(bytes);
        }

        foreach (var (text, id) in specials)
        {
            _bytesById[id] = Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>Appends the ids of <paramref name="text"/>; special tokens written in the text become their ids.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        var start = 0;
        while (start < text.Length)
        {
            var special = _specials.Count == 0 ? -1 : text[start..].IndexOf("<|", StringComparison.Ordinal);
            var segmentEnd = special < 0 ? text.Length : start + special;
            var specialLength = 0;
            var specialId = -1;
            if (special >= 0)
            {
                var close = text[segmentEnd..].IndexOf("|>", StringComparison.Ordinal);
                if (close > 0 && _specials.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text.Slice(segmentEnd, close + 2), out var id))
                {
                    specialLength = close + 2;
                    specialId = id;
                }
                else
                {
                    // "<|" that is not a special token: ordinary text; continue the segment past it.
                    var next = text[(segmentEnd + 2)..].IndexOf("<|", StringComparison.Ordinal);
                    segmentEnd = next < 0 ? text.Length : segmentEnd + 2 + next;
                    if (next >= 0)
                    {
                        EncodeOrdinary(text[start..segmentEnd], ids);
                        start = segmentEnd;
                        continue;
                    }
                }
            }

            EncodeOrdinary(text[start..segmentEnd], ids);
            if (specialId >= 0)
            {
                ids.Add(specialId);
                segmentEnd += specialLength;
            }

            start = segmentEnd;
        }
    }

    /// <summary>The bytes of <paramref name="ids"/>.</summary>
    public byte[] DecodeBytes(IEnumerable<int> ids)
    {
        var output = new List<byte>();
        foreach (var id in ids)
        {
            if ((uint)id < (uint)_bytesById.Length && _bytesById[id] is { } bytes)
            {
                output.AddRange(bytes);
            }
        }

        return [.. output];
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        if (!ReferenceEquals(_cacheOwner, this) || _threadCache is null)
        {
            _cacheOwner = this;
            _threadCache = new Dictionary<string, int[]>(StringComparer.Ordinal);
        }

        var cache = _threadCache;
        var cacheLookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        var i = 0;
        Span<byte> utf8 = stackalloc byte[256];
        Span<char> widened = stackalloc char[256];
        while (i < text.Length)
        {
            var length = Llama3PreTokenizer.Match(text, i);
            var piece = text.Slice(i, length);
            i += length;
            if (cacheLookup.TryGetValue(piece, out var cached))
            {
                ids.AddRange(cached);
                continue;
            }

            var byteCount = Encoding.UTF8.GetByteCount(piece);
            var bytes = byteCount <= utf8.Length ? utf8[..byteCount] : new byte[byteCount];
            Encoding.UTF8.GetBytes(piece, bytes);
            var chars = byteCount <= widened.Length ? widened[..byteCount] : new char[byteCount];
            for (var k = 0; k < byteCount; k++)
            {
                chars[k] = (char)bytes[k];
            }

            int[] tokens;
            if (_lookup.TryGetValue(chars, out var whole))
            {
                tokens = [whole];
            }
            else
            {
                tokens = Merge(chars);
            }

            ids.AddRange(tokens);
            if (cache.Count >= CacheLimit)
            {
                cache.Clear();
            }

            cache[piece.ToString()] = tokens;
        }
    }

    /// <summary>Merges the bytes of one pre-token pair by pair, always the pair of lowest rank first.</summary>
    private int[] Merge(ReadOnlySpan<char> chars)
    {
        // Boundaries between current parts: parts are chars[starts[k]..starts[k+1]].
        var starts = new List<int>(chars.Length + 1);
        for (var k = 0; k <= chars.Length; k++)
        {
            starts.Add(k);
        }

        var ranks = new List<int>(chars.Length);
        for (var k = 0; k + 2 < starts.Count; k++)
        {
            ranks.Add(Rank(chars, starts[k], starts[k + 2]));
        }

        while (ranks.Count > 0)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            var span = CollectionsMarshal.AsSpan(ranks);
            for (var k = 0; k < span.Length; k++)
            {
                if (span[k] < bestRank)
                {
                    bestRank = span[k];
                    best = k;
                }
            }

            if (best < 0)
            {
                break;
            }

            // Merge parts best and best+1: drop the boundary between them.
            starts.RemoveAt(best + 1);
            ranks.RemoveAt(best);
            if (best < ranks.Count)
            {
                ranks[best] = best + 2 < starts.Count ? Rank(chars, starts[best], starts[best + 2]) : int.MaxValue;
            }

            if (best > 0)
            {
                ranks[best - 1] = Rank(chars, starts[best - 1], starts[best + 1]);
            }
        }

        var result = new int[starts.Count - 1];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = _lookup.TryGetValue(chars[starts[k]..starts[k + 1]], out var id)
                ? id
                : throw new InvalidOperationException("the vocabulary lacks a single byte; it is not byte-level BPE");
        }

        return result;
    }

    private int Rank(ReadOnlySpan<char> chars, int start, int end) =>
        _lookup.TryGetValue(chars[start..end], out var rank) ? rank : int.MaxValue;
}
