using System.Text;
using System.Text.RegularExpressions;

namespace SecForge.Curation.Extraction;

/// <summary>
/// Decodes the bytes of a web page: a byte-order mark first, then the charset of the HTTP header, then the one
/// the page declares in a meta tag, then UTF-8 if the bytes are valid UTF-8, else Windows-1252 (what browsers
/// assume for undeclared legacy pages).
/// </summary>
public static partial class HtmlDecoder
{
    static HtmlDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="headerCharset"/> is the HTTP Content-Type charset, if any.</summary>
    public static DecodedHtml Decode(ReadOnlySpan<byte> bytes, string? headerCharset = null)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new DecodedHtml(Encoding.UTF8.GetString(bytes[3..]), "utf-8", "byte-order mark", InvalidBytes(bytes[3..]));
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new DecodedHtml(Encoding.Unicode.GetString(bytes[2..]), "utf-16le", "byte-order mark", false);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new DecodedHtml(Encoding.BigEndianUnicode.GetString(bytes[2..]), "utf-16be", "byte-order mark", false);
        }

        if (Resolve(headerCharset) is { } fromHeader)
        {
            return Decode(bytes, fromHeader, "HTTP header");
        }

        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        var match = MetaCharset().Match(head);
        if (match.Success && Resolve(match.Groups["charset"].Value) is { } fromMeta)
        {
            // A page that declares Latin-1 but is valid UTF-8 is UTF-8 (a common misdeclaration).
            if (fromMeta.CodePage != Encoding.UTF8.CodePage && !InvalidBytes(bytes) && HasMultibyte(bytes))
            {
                return new DecodedHtml(Encoding.UTF8.GetString(bytes), "utf-8", "content (declared " + fromMeta.WebName + ")", false);
            }

            return Decode(bytes, fromMeta, "meta tag");
        }

        return InvalidBytes(bytes)
            ? new DecodedHtml(Encoding.GetEncoding(1252).GetString(bytes), "windows-1252", "fallback", false)
            : new DecodedHtml(Encoding.UTF8.GetString(bytes), "utf-8", "content", false);
    }

    /// <summary>The encoding a charset label names, or null for an unknown label.</summary>
    public static Encoding? Resolve(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        label = label.Trim().Trim('"', '\'').ToLowerInvariant();

        // As browsers do: these labels mean Windows-1252 in practice.
        if (label is "iso-8859-1" or "latin1" or "latin-1" or "us-ascii" or "ascii" or "iso8859-1")
        {
            label = "windows-1252";
        }

        try
        {
            return Encoding.GetEncoding(label);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DecodedHtml Decode(ReadOnlySpan<byte> bytes, Encoding encoding, string source) =>
        new(encoding.GetString(bytes), encoding.WebName, source, encoding.CodePage == Encoding.UTF8.CodePage && InvalidBytes(bytes));

    private static bool InvalidBytes(ReadOnlySpan<byte> bytes) => !System.Text.Unicode.Utf8.IsValid(bytes);

    private static bool HasMultibyte(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b >= 0x80)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?(?<charset>[A-Za-z0-9_:.\-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();
}

/// <summary>A decoded page.</summary>
/// <param name="Text">The characters.</param>
/// <param name="Charset">The charset used.</param>
/// <param name="Source">Where the charset came from.</param>
/// <param name="HadInvalidBytes">True when UTF-8 decoding met invalid bytes (replaced by U+FFFD).</param>
public sealed record DecodedHtml(string Text, string Charset, string Source, bool HadInvalidBytes);
