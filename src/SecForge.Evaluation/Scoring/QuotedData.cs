using System.Globalization;
using SecForge.Core.Hashing;

namespace SecForge.Evaluation.Scoring;

/// <summary>
/// Quotes untrusted text (a reply being judged) for a judge model: between boundary lines carrying a nonce the
/// text does not contain, so the text cannot close its quote and speak to the judge as instructions.
/// The nonce is derived from the text, so the same text always gets the same prompt (and cache entry).
/// </summary>
public static class QuotedData
{
    /// <summary>The text between BEGIN/END lines labelled <paramref name="label"/>.</summary>
    public static string Quote(string label, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var salt = 0L;
        string nonce;
        do
        {
            nonce = ContentHash.XxHash64(text, salt++).ToString("x16", CultureInfo.InvariantCulture);
        }
        while (text.Contains(nonce, StringComparison.Ordinal));

        return $"<<<BEGIN {label} {nonce}>>>\n{text}\n<<<END {label} {nonce}>>>";
    }
}
