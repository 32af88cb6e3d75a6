namespace SecForge.Knowledge.Crawl;

/// <summary>URL normalisation for the crawl's seen-set: http(s) only, lower-case host, no default port, no fragment.</summary>
public static class CrawlUrl
{
    /// <summary>The normal form of <paramref name="href"/> resolved against <paramref name="baseUri"/>, or null when it is not an http(s) URL.</summary>
    public static Uri? Normalize(string href, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(href);
        href = href.Trim();
        if (href.Length == 0 || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Uri? uri;
        if (baseUri is null ? !Uri.TryCreate(href, UriKind.Absolute, out uri) : !Uri.TryCreate(baseUri, href, out uri))
        {
            return null;
        }

        if (uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return null;
        }

        var builder = new UriBuilder(uri) { Fragment = string.Empty, Host = uri.Host.ToLowerInvariant() };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        if (builder.Path.Length == 0)
        {
            builder.Path = "/";
        }

        return builder.Uri;
    }

    /// <summary>The key politeness is kept per: scheme, host and port.</summary>
    public static string HostKey(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return $"{uri.Scheme}://{uri.Authority}";
    }
}
