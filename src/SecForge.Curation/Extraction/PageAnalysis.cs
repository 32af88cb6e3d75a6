using AngleSharp.Dom;

namespace SecForge.Curation.Extraction;

/// <summary>
/// One page under analysis: which parts are boilerplate, how much prose each element holds, and which element
/// is the main content. Readability's scoring (paragraph scores propagated to ancestors, discounted by link
/// density, merged with qualifying siblings) decides the main content; boilerplate is removed before scoring by
/// tag, role, visibility and class/id names, guarded so a wrapper around the whole article is never removed.
/// </summary>
internal sealed class PageAnalysis
{
    private readonly IDocument _document;
    private readonly ExtractionOptions _options;
    private readonly HtmlExtractor.Deadline _deadline;
    private readonly HashSet<INode> _removed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IElement, ElementStats> _stats = new(ReferenceEqualityComparer.Instance);

    public PageAnalysis(IDocument document, ExtractionOptions options, HtmlExtractor.Deadline deadline)
    {
        _document = document;
        _options = options;
        _deadline = deadline;
    }

    /// <summary>For diagnosis: the best candidates of the last selection.</summary>
    internal List<string> LastCandidates { get; private set; } = [];

    public (string Text, string? Title) Extract()
    {
        var body = _document.Body ?? _document.DocumentElement;
        if (body is null)
        {
            return (string.Empty, null);
        }

        var title = FindTitle();
        Measure(body, markersOnly: true);
        MarkRemovals(body);
        _stats.Clear();
        Measure(body, markersOnly: false);
        var main = SelectMainContent(body);
        var renderer = new MarkdownRenderer(_removed, _stats, _options, _deadline);
        var text = renderer.Render(main, cleanConditionally: true);
        if (VisibleLength(text) < _options.MinimumMainTextChars)
        {
            var whole = renderer.Render([body], cleanConditionally: true);
            if (VisibleLength(whole) > VisibleLength(text) * 2)
            {
                text = whole;
            }
        }

        if (_options.IncludeTitle && title is not null && text.Length > 0)
        {
            var head = text.Length > 400 ? text[..400] : text;
            if (!head.Contains(title, StringComparison.Ordinal))
            {
                text = "# " + title + "\n\n" + text;
            }
        }

        return (text, title);
    }

    /// <summary>For diagnosis: the ancestors of the first text node containing <paramref name="needle"/>, with what the analysis decided about each.</summary>
    internal IReadOnlyList<string> Explain(string needle)
    {
        var body = _document.Body ?? _document.DocumentElement;
        Measure(body!, markersOnly: true);
        MarkRemovals(body!);
        _stats.Clear();
        Measure(body!, markersOnly: false);
        var main = SelectMainContent(body!);
        var lines = new List<string>();
        var node = _document.Body?.Descendants<IText>().FirstOrDefault(t => t.Data.Contains(needle, StringComparison.Ordinal));
        if (node is null)
        {
            return ["needle not found in body text"];
        }

        for (var element = node.ParentElement; element is not null; element = element.ParentElement)
        {
            _stats.TryGetValue(element, out var stats);
            lines.Add($"<{element.LocalName} class='{element.GetAttribute("class")}' id='{element.Id}'> removed={_removed.Contains(element)} main={main.Contains(element)} text={stats?.Text} links={stats?.LinkDensity:0.00} score={stats?.Score:0.0} cand={stats?.IsCandidate}");
        }

        lines.AddRange(LastCandidates.Select(c => "candidate " + c));
        lines.Add("main: " + string.Join(" | ", main.OfType<IElement>().Select(e => $"<{e.LocalName} class='{e.GetAttribute("class")}' id='{e.Id}'> score={Stats(e).Score:0.0}")));
        return lines;
    }

    private static int VisibleLength(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                count++;
            }
        }

        return count;
    }

    private string? FindTitle()
    {
        foreach (var element in _document.QuerySelectorAll("h1"))
        {
            var text = Collapse(element.TextContent);
            if (text.Length is > 3 and < 300)
            {
                return text;
            }
        }

        var meta = _document.QuerySelector("meta[property='og:title']")?.GetAttribute("content");
        if (!string.IsNullOrWhiteSpace(meta))
        {
            return Collapse(meta);
        }

        var title = _document.Title;
        return string.IsNullOrWhiteSpace(title) ? null : Collapse(title);
    }

    internal static string Collapse(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
            }
            else
            {
                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decides what is boilerplate, top-down; a removed element's subtree is not visited.</summary>
    private void MarkRemovals(IElement body)
    {
        var bodyText = Math.Max(1, Stats(body).Text);
        var stack = new Stack<IElement>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            _deadline.Tick();
            var element = stack.Pop();
            foreach (var child in element.Children)
            {
                if (ShouldRemove(child, bodyText))
                {
                    _removed.Add(child);
                }
                else
                {
                    stack.Push(child);
                }
            }
        }
    }

    private bool ShouldRemove(IElement element, int bodyText)
    {
        var tag = element.LocalName;
        if (HtmlTags.Dropped.Contains(tag))
        {
            // An <aside> or <footer> inside the article is still page furniture; a <nav> always is.
            return true;
        }

        if (tag is "noscript")
        {
            // Usually tracking pixels or "enable JavaScript"; some sites put the whole page in it.
            return Stats(element).Text * 2 < bodyText;
        }

        if (element.HasAttribute("hidden") || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (element.GetAttribute("style") is { } style && HidesElement(style))
        {
            return true;
        }

        var className = element.GetAttribute("class");
        if (className is not null)
        {
            foreach (var range in className.AsSpan().Split(' '))
            {
                var name = className.AsSpan()[range];
                if (name.Length > 0 && HtmlTags.HiddenClasses.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
                {
                    return true;
                }
            }
        }

        var stats = Stats(element);
        if (element.GetAttribute("role") is { } role && HtmlTags.FurnitureRoles.Contains(role) && !stats.HoldsMainMarkers)
        {
            return true;
        }

        if (tag is "header" && !stats.HoldsMainMarkers && stats.LinkDensity > 0.3)
        {
            return true;
        }

        if (tag is "html" or "body" or "article" or "main" or "h1")
        {
            return false;
        }

        if (!BoilerplateNames.IsBoilerplate(className, element.Id))
        {
            return false;
        }

        // A wrapper with a misleading name ("page-with-sidebar", "content-and-comments") is kept.
        if (stats.HoldsMainMarkers)
        {
            return false;
        }

        // So is one that holds much of the page's prose, unless it names comments: share bars, related-link
        // boxes and newsletter forms hold links and short calls, not paragraphs of text.
        if (stats.Prose >= 600 && stats.Prose * 3 > Stats(_document.Body ?? element).Prose && stats.LinkDensity < 0.2 && !BoilerplateNames.IsComment(className, element.Id))
        {
            return false;
        }

        return !(stats.Text * 2 > bodyText && BoilerplateNames.IsContent(className, element.Id));
    }

    private static bool HidesElement(string style)
    {
        var compact = style.Replace(" ", string.Empty, StringComparison.Ordinal);
        return compact.Contains("display:none", StringComparison.OrdinalIgnoreCase) ||
               compact.Contains("visibility:hidden", StringComparison.OrdinalIgnoreCase);
    }

    private ElementStats Stats(IElement element)
    {
        if (!_stats.TryGetValue(element, out var stats))
        {
            stats = new ElementStats();
            _stats[element] = stats;
        }

        return stats;
    }

    /// <summary>Measures every element bottom-up, skipping removed ones (iterative: pages nest arbitrarily deep).</summary>
    private void Measure(IElement root, bool markersOnly)
    {
        var stack = new Stack<(IElement Element, int Child)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            _deadline.Tick();
            var (element, index) = stack.Pop();
            var stats = Stats(element);
            var children = element.ChildNodes;
            if (index < children.Length)
            {
                stack.Push((element, index + 1));
                var child = children[index];
                if (child is IElement childElement)
                {
                    if (!_removed.Contains(childElement) && !(markersOnly && childElement.LocalName is "script" or "style" or "template"))
                    {
                        stack.Push((childElement, 0));
                    }
                }
                else if (child is IText text)
                {
                    var (length, commas) = Count(text.Data);
                    stats.Text += length;
                    stats.Commas += commas;
                }

                continue;
            }

            // All children done: fold this element into its parent.
            var tag = element.LocalName;
            if (tag is "a")
            {
                stats.LinkText = stats.Text;
            }

            if (IsMainMarker(element, stats))
            {
                stats.HoldsMainMarkers = true;
            }

            if (tag is "p" or "pre" && stats.Text >= 20)
            {
                stats.Paragraphs++;
                if (stats.Text >= 40 && stats.LinkDensity < 0.3 && stats.Prose == 0)
                {
                    stats.Prose = stats.Text - stats.LinkText;
                }
            }
            else if (tag is "img")
            {
                stats.Images++;
            }
            else if (tag is "li")
            {
                stats.ListItems++;
            }
            else if (tag is "input" or "select" or "textarea" or "button")
            {
                stats.Inputs++;
            }
            else if (tag is "iframe" or "embed" or "object" or "video")
            {
                stats.Embeds++;
            }
            else if (HtmlTags.IsHeading(tag))
            {
                stats.Headings += stats.Text;
            }

            if (!ReferenceEquals(element, root) && element.ParentElement is { } parent)
            {
                var into = Stats(parent);
                into.Text += stats.Text;
                into.LinkText += stats.LinkText;
                into.Commas += stats.Commas;
                into.Paragraphs += stats.Paragraphs;
                into.Images += stats.Images;
                into.ListItems += stats.ListItems;
                into.Inputs += stats.Inputs;
                into.Embeds += stats.Embeds;
                into.Headings += stats.Headings;
                into.Prose += stats.Prose;
                into.HoldsMainMarkers |= stats.HoldsMainMarkers;
            }
        }
    }

    private static bool IsMainMarker(IElement element, ElementStats stats)
    {
        var tag = element.LocalName;
        if (tag is "h1" or "main" || string.Equals(element.GetAttribute("itemprop"), "articleBody", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var className = element.GetAttribute("class");
        if (tag is "article")
        {
            return !BoilerplateNames.IsComment(className, element.Id);
        }

        return stats.Text >= 200 && BoilerplateNames.NamesArticleBody(className, element.Id);
    }

    private static (int Length, int Commas) Count(string text)
    {
        var length = 0;
        var commas = 0;
        var space = true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space)
                {
                    length++;
                    space = true;
                }
            }
            else
            {
                length++;
                space = false;
                if (c is ',' or '，' or '、' or '،')
                {
                    commas++;
                }
            }
        }

        return (length, commas);
    }

    /// <summary>Readability's choice of main content: the best-scoring element and the siblings that belong with it.</summary>
    private List<INode> SelectMainContent(IElement body)
    {
        var candidates = new List<IElement>();
        var stack = new Stack<IElement>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            _deadline.Tick();
            var element = stack.Pop();
            foreach (var child in element.Children)
            {
                if (!_removed.Contains(child))
                {
                    stack.Push(child);
                }
            }

            if (!IsParagraphLike(element))
            {
                continue;
            }

            var stats = Stats(element);
            if (stats.Text < 25)
            {
                continue;
            }

            var score = 1.0 + stats.Commas + Math.Min(stats.Text / 100, 3);
            var ancestor = element.ParentElement;
            for (var level = 0; ancestor is not null && level < 5; level++, ancestor = ancestor.ParentElement)
            {
                var ancestorStats = Stats(ancestor);
                if (!ancestorStats.IsCandidate)
                {
                    ancestorStats.IsCandidate = true;
                    ancestorStats.Score = InitialScore(ancestor);
                    candidates.Add(ancestor);
                }

                ancestorStats.Score += score / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
                if (ReferenceEquals(ancestor, body))
                {
                    break;
                }
            }
        }

        if (candidates.Count == 0)
        {
            return [body];
        }

        foreach (var candidate in candidates)
        {
            var stats = Stats(candidate);
            stats.Score *= 1 - stats.LinkDensity;
        }

        candidates.Sort((a, b) => Stats(b).Score.CompareTo(Stats(a).Score));
        LastCandidates = candidates.Take(6).Select(c => $"<{c.LocalName} class='{c.GetAttribute("class")}'> {Stats(c).Score:0.0}").ToList();
        var top = candidates[0];
        var topScore = Stats(top).Score;

        // Several strong candidates under one ancestor: the ancestor is the article.
        var alternatives = candidates.Skip(1).Take(4).Where(c => Stats(c).Score >= topScore * 0.75).ToList();
        if (alternatives.Count >= 3)
        {
            for (var parent = top.ParentElement; parent is not null && !ReferenceEquals(parent, body); parent = parent.ParentElement)
            {
                if (alternatives.Count(a => parent.Contains(a)) >= 3)
                {
                    top = parent;
                    break;
                }
            }
        }

        // Walk up while the parent scores better (it holds more of the article).
        var last = Stats(top).Score;
        var threshold = last / 3;
        for (var parent = top.ParentElement; parent is not null && !ReferenceEquals(parent, body); parent = parent.ParentElement)
        {
            var stats = Stats(parent);
            if (!stats.IsCandidate)
            {
                continue;
            }

            if (stats.Score < threshold)
            {
                break;
            }

            if (stats.Score > last)
            {
                top = parent;
                break;
            }

            last = stats.Score;
        }

        while (top.ParentElement is { } only && !ReferenceEquals(only, body) && CountKept(only) == 1)
        {
            top = only;
        }

        // Articles split into blocks (accordions, page-builder rows) score block by block: climb while the
        // container adds real prose, not just links.
        top = ClimbWhileProseGrows(top, body);

        // The article element around the best body holds its title, lead and subheadings: take it when it adds
        // prose rather than link lists.
        top = ArticleAround(top, body);

        return MergeSiblings(top);
    }

    private IElement ClimbWhileProseGrows(IElement top, IElement body)
    {
        var current = top;
        for (var parent = top.ParentElement; parent is not null && !ReferenceEquals(parent, body); parent = parent.ParentElement)
        {
            var stats = Stats(parent);
            var prose = Stats(current).Prose;
            if (stats.LinkDensity > 0.35)
            {
                break;
            }

            if (stats.Prose > prose * 1.15 && stats.Prose - prose >= 150)
            {
                current = parent;
            }
        }

        return current;
    }

    private IElement ArticleAround(IElement top, IElement body)
    {
        var topStats = Stats(top);
        var level = 0;
        for (var ancestor = top.ParentElement; ancestor is not null && !ReferenceEquals(ancestor, body) && level < 5; ancestor = ancestor.ParentElement, level++)
        {
            var isArticle = (ancestor.LocalName is "article" && !BoilerplateNames.IsComment(ancestor.GetAttribute("class"), ancestor.Id))
                || string.Equals(ancestor.GetAttribute("itemprop"), "articleBody", StringComparison.OrdinalIgnoreCase);
            if (!isArticle)
            {
                continue;
            }

            var stats = Stats(ancestor);
            var added = stats.Text - topStats.Text;
            var addedLinks = stats.LinkText - topStats.LinkText;
            if (added <= topStats.Text + 1000 && (added == 0 || (double)addedLinks / added < 0.3))
            {
                return ancestor;
            }

            break;
        }

        return top;
    }

    private int CountKept(IElement element)
    {
        var count = 0;
        foreach (var child in element.Children)
        {
            if (!_removed.Contains(child))
            {
                count++;
            }
        }

        return count;
    }

    private List<INode> MergeSiblings(IElement top)
    {
        var topStats = Stats(top);
        if (top.ParentElement is not { } parent)
        {
            return [top];
        }

        var threshold = Math.Max(10, topStats.Score * 0.2);
        var topClass = top.GetAttribute("class");
        var result = new List<INode>();
        foreach (var sibling in parent.Children)
        {
            if (_removed.Contains(sibling))
            {
                continue;
            }

            if (ReferenceEquals(sibling, top))
            {
                result.Add(sibling);
                continue;
            }

            var stats = Stats(sibling);
            var bonus = !string.IsNullOrEmpty(topClass) && topClass == sibling.GetAttribute("class") ? topStats.Score * 0.2 : 0;
            if (stats.IsCandidate && stats.Score + bonus >= threshold)
            {
                result.Add(sibling);
            }
            else if (sibling.LocalName is "p" or "pre" or "blockquote" or "ul" or "ol" or "table" || HtmlTags.IsHeading(sibling.LocalName))
            {
                var density = stats.LinkDensity;
                if (stats.Text > 80 && density < 0.25)
                {
                    result.Add(sibling);
                }
                else if (stats.Text is > 0 and <= 80 && density == 0 && EndsSentence(sibling))
                {
                    result.Add(sibling);
                }
            }
        }

        return result;
    }

    private static bool EndsSentence(IElement element)
    {
        var text = element.TextContent.TrimEnd();
        return text.EndsWith('.') || text.EndsWith('。') || text.EndsWith('!') || text.EndsWith('?');
    }

    private bool IsParagraphLike(IElement element)
    {
        var tag = element.LocalName;
        if (HtmlTags.Paragraph.Contains(tag))
        {
            return true;
        }

        if (tag is not ("div" or "section" or "span" or "font" or "center" or "article" or "li"))
        {
            return false;
        }

        // A container with text of its own and no block children is used as a paragraph.
        foreach (var child in element.Children)
        {
            if (!_removed.Contains(child) && HtmlTags.Block.Contains(child.LocalName))
            {
                return false;
            }
        }

        return true;
    }

    private static double InitialScore(IElement element)
    {
        var score = element.LocalName switch
        {
            "div" or "article" or "section" or "main" => 5,
            "pre" or "td" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            _ => 0,
        };
        return score + BoilerplateNames.Weight(element.GetAttribute("class"), element.Id);
    }
}
