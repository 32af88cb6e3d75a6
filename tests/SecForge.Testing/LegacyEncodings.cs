using System.Text;

namespace SecForge.Testing;

/// <summary>
/// The legacy code pages tests write pages in (windows-1252, ISO-8859-2). .NET knows them only once the code-pages
/// provider is registered; a test that needs one asks here instead of relying on product code having run first.
/// </summary>
public static class LegacyEncodings
{
    static LegacyEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding named <paramref name="name"/> (a code page number or a label).</summary>
    public static Encoding Get(string name) => int.TryParse(name, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(name);
}
