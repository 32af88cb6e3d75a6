using System.Runtime.InteropServices;
using SecForge.Core.Hashing;

namespace SecForge.Curation.Dedup;

/// <summary>
/// Normalised words of a text and their n-gram hashes, as the dedup stages compare them: case-folded, split at
/// anything but letters and digits, so formatting and punctuation differences do not hide a duplicate.
/// </summary>
public static class TextShingles
{
    /// <summary>64-bit hashes of the normalised words of <paramref name="text"/>, in order.</summary>
    public static List<ulong> WordHashes(ReadOnlySpan<char> text)
    {
        var hashes = new List<ulong>(text.Length / 6);
        Span<char> word = stackalloc char[64];
        var length = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < word.Length)
                {
                    word[length++] = char.ToLowerInvariant(c);
                }
            }
            else if (length > 0)
            {
                hashes.Add(ContentHash.XxHash64(word[..length]));
                length = 0;
            }
        }

        return hashes;
    }

    /// <summary>Order-sensitive hashes of each run of <paramref name="n"/> words (one hash of all words when fewer).</summary>
    public static ulong[] NgramHashes(List<ulong> words, int n)
    {
        if (words.Count == 0)
        {
            return [];
        }

        var span = CollectionsMarshal.AsSpan(words);
        if (words.Count < n)
        {
            return [Combine(span)];
        }

        var result = new ulong[words.Count - n + 1];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Combine(span.Slice(i, n));
        }

        return result;
    }

    /// <summary>A hash of the whole normalised text (exact duplicates up to case, spacing and punctuation).</summary>
    public static ulong DocumentHash(ReadOnlySpan<char> text)
    {
        var words = WordHashes(text);
        return Combine(CollectionsMarshal.AsSpan(words));
    }

    private static ulong Combine(ReadOnlySpan<ulong> hashes)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var value in hashes)
        {
            h = SecForge.Core.Randomness.SplitMix64.Mix(h ^ value);
        }

        return h;
    }
}
