using System.Collections.Frozen;

namespace SecForge.Curation.Extraction;

/// <summary>
/// What class and id names say about an element: navigation, comments, share bars, cookie banners and the like
/// (boilerplate), or article bodies (content). Names are split into words at punctuation and case changes, so
/// "post-comments", "shareBar" and "related_posts" are all recognised.
/// </summary>
internal static class BoilerplateNames
{
    /// <summary>Words that mark boilerplate whatever else the name says.</summary>
    private static readonly FrozenSet<string> Strong = new[]
    {
        "comment", "comments", "commentlist", "disqus", "respond", "replies", "cookie", "cookies", "consent", "gdpr", "cmp",
        "newsletter", "subscribe", "subscription", "share", "shares", "sharing", "sharethis", "sharedaddy", "addthis", "social",
        "socials", "related", "relatedposts", "recommended", "recommendations", "recirculation", "outbrain", "taboola",
        "breadcrumb", "breadcrumbs", "pagination", "pager", "advert", "advertisement", "advertising", "adsense", "sponsored",
        "popup", "modal", "navbar", "navigation", "footer", "tagcloud", "skip", "offcanvas", "masthead", "signup", "login", "paywall",
        "authorbox", "bio", "mostread", "backtotop", "postnav", "prevnext", "donate", "crumbs", "caption", "credit", "credits",
        "wp-caption", "wp-caption-text", "image-caption", "photo-credit", "img-caption",
        "author-box", "most-read", "post-navigation", "nav-links", "support-us", "app-promo", "tag-list", "post-tags", "entry-tags",
        "entry-meta", "post-meta", "entry-footer", "post-footer", "article-footer", "share-bar", "social-links",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that mark boilerplate unless the name also says content ("post-content widget" is content).</summary>
    private static readonly FrozenSet<string> Weak = new[]
    {
        "sidebar", "menu", "menubar", "submenu", "nav", "banner", "toolbar", "ad", "ads", "sponsor",
        "promo", "promotion", "trending", "popular", "tags", "taglist", "categories", "rating", "ratings",
        "print", "rss", "jump", "topbar", "dropdown", "lightbox", "follow", "overlay",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that mark an article body.</summary>
    private static readonly FrozenSet<string> Content = new[]
    {
        "article", "articlebody", "content", "entry", "main", "post", "story", "text", "body", "blog", "hentry", "h-entry",
        "prose", "rich", "markdown", "page-content", "maincontent",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ArticleWords = new[] { "article", "post", "entry", "story", "blog", "news", "page", "main", "single" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> BodyWords = new[] { "body", "content", "text", "copy", "inner" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// True when a single class or id token names an article body ("entry-content", "c-article-body",
    /// "td-post-content", "story-body") and nothing else: such an element holds the main text.
    /// </summary>
    public static bool NamesArticleBody(string? className, string? id) => NamesArticleBody(className) || NamesArticleBody(id);

    /// <summary>True when the name says comments (so an &lt;article&gt; in it is a comment, not the article).</summary>
    public static bool IsComment(string? className, string? id) =>
        (className?.Contains("comment", StringComparison.OrdinalIgnoreCase) ?? false) || (id?.Contains("comment", StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool NamesArticleBody(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains("comment", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var range in name.AsSpan().Split(' '))
        {
            var token = name[range];
            var words = Words(token);
            if (words.Any(ArticleWords.Contains) && words.Any(BodyWords.Contains))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Words(string token)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        for (var i = 0; i <= token.Length; i++)
        {
            var c = i < token.Length ? token[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c) || (word.Length > 0 && char.IsUpper(c) && char.IsLower(word[^1]));
            if (boundary && word.Length > 0)
            {
                words.Add(word.ToString().ToLowerInvariant());
                word.Clear();
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
        }

        return words;
    }

    /// <summary>True when a class or id word says the element is boilerplate.</summary>
    public static bool IsBoilerplate(string? className, string? id) =>
        HasWord(className, id, Strong) || (HasWord(className, id, Weak) && !NamesArticleBody(className, id));

    /// <summary>True when a class or id word says the element holds an article body.</summary>
    public static bool IsContent(string? className, string? id) => HasWord(className, id, Content);

    /// <summary>A score in the spirit of Readability's class weight: +25 for content names, −25 for boilerplate.</summary>
    public static int Weight(string? className, string? id)
    {
        var weight = 0;
        if (HasWord(className, id, Content))
        {
            weight += 25;
        }

        if (IsBoilerplate(className, id))
        {
            weight -= 25;
        }

        return weight;
    }

    private static bool HasWord(string? className, string? id, FrozenSet<string> words) =>
        HasWord(className, words) || HasWord(id, words);

    private static bool HasWord(string? name, FrozenSet<string> words)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        // Whole hyphenated names first ("post-tags"), then their words ("post", "tags").
        var tokens = words.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> lower = stackalloc char[48];
        foreach (var range in name.AsSpan().Split(' '))
        {
            var token = name.AsSpan()[range];
            if (token.Length > 0 && token.Length <= 48 && token.Contains('-'))
            {
                token.ToLowerInvariant(lower);
                if (tokens.Contains(lower[..token.Length]))
                {
                    return true;
                }
            }
        }

        Span<char> word = stackalloc char[48];
        var length = 0;
        var lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c) || (length > 0 && char.IsUpper(c) && char.IsLower(word[length - 1]));
            if (boundary && length > 0)
            {
                if (lookup.Contains(word[..length]))
                {
                    return true;
                }

                length = 0;
            }

            if (char.IsLetterOrDigit(c) && length < word.Length)
            {
                word[length++] = char.ToLowerInvariant(c);
            }
        }

        return false;
    }
}
