using System.Text;
using AngleSharp.Dom;

namespace SecForge.Curation.Extraction;

/// <summary>
/// Writes chosen DOM subtrees as Markdown: headings, paragraphs, lists, block quotes, tables as Markdown
/// tables, <c>&lt;pre&gt;</c> verbatim in fences. Links keep only their text and inline emphasis adds no
/// markup, so the text reads as the page does. Walks iteratively, so nesting depth cannot exhaust the stack.
/// </summary>
internal sealed class MarkdownRenderer
{
    private readonly HashSet<INode> _removed;
    private readonly Dictionary<IElement, ElementStats> _stats;
    private readonly ExtractionOptions _options;
    private readonly HtmlExtractor.Deadline _deadline;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _inline = new();
    private readonly StringBuilder _pre = new();
    private readonly Stack<(bool Ordered, int Counter)> _lists = new();
    private int _preDepth;
    private int _quoteDepth;
    private bool _cleanConditionally;

    public MarkdownRenderer(HashSet<INode> removed, Dictionary<IElement, ElementStats> stats, ExtractionOptions options, HtmlExtractor.Deadline deadline)
    {
        _removed = removed;
        _stats = stats;
        _options = options;
        _deadline = deadline;
    }

    /// <summary>Renders <paramref name="roots"/> in order.</summary>
    public string Render(IReadOnlyList<INode> roots, bool cleanConditionally)
    {
        _output.Clear();
        _inline.Clear();
        _pre.Clear();
        _lists.Clear();
        _preDepth = 0;
        _quoteDepth = 0;
        _cleanConditionally = cleanConditionally;
        foreach (var root in roots)
        {
            Walk(root);
            FlushBlock();
        }

        return Tidy(_output);
    }

    private void Walk(INode root)
    {
        var stack = new Stack<(INode Node, bool Exit)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            _deadline.Tick();
            var (node, exit) = stack.Pop();
            if (node is IText text)
            {
                AppendText(text.Data);
                continue;
            }

            if (node is not IElement element)
            {
                continue;
            }

            if (exit)
            {
                Leave(element);
                continue;
            }

            if (_removed.Contains(element) || (_cleanConditionally && ShouldDropConditionally(element)))
            {
                continue;
            }

            if (Enter(element))
            {
                stack.Push((element, true));
                var children = element.ChildNodes;
                for (var i = children.Length - 1; i >= 0; i--)
                {
                    stack.Push((children[i], false));
                }
            }
        }
    }

    /// <summary>Handles an opening tag; returns false when the element was rendered whole (its children are not walked).</summary>
    private bool Enter(IElement element)
    {
        var tag = element.LocalName;
        if (_preDepth > 0)
        {
            if (tag is "br")
            {
                _pre.Append('\n');
            }

            if (tag is "pre")
            {
                _preDepth++;
            }

            return true;
        }

        switch (tag)
        {
            case "br":
                _inline.Append('\n');
                return true;
            case "hr":
                FlushBlock();
                return true;
            case "img":
                return false;
            case "pre":
                FlushBlock();
                _preDepth = 1;
                _pre.Clear();
                return true;
            case "ul" or "ol":
                FlushBlock();
                _lists.Push((tag == "ol", 0));
                return true;
            case "li":
                FlushBlock();
                if (_lists.Count > 0)
                {
                    var (ordered, counter) = _lists.Pop();
                    _lists.Push((ordered, counter + 1));
                }

                return true;
            case "blockquote":
                FlushBlock();
                _quoteDepth++;
                return true;
            case "table" when _options.IncludeTables && TryRenderTable(element):
                return false;
            default:
                if (HtmlTags.Block.Contains(tag))
                {
                    FlushBlock();
                }

                return true;
        }
    }

    private void Leave(IElement element)
    {
        var tag = element.LocalName;
        if (_preDepth > 0)
        {
            if (tag is "pre" && --_preDepth == 0)
            {
                EmitPre();
            }

            return;
        }

        switch (tag)
        {
            case "ul" or "ol":
                FlushBlock();
                if (_lists.Count > 0)
                {
                    _lists.Pop();
                }

                _output.Append('\n');
                break;
            case "li":
                FlushBlock(listItem: true);
                break;
            case "blockquote":
                FlushBlock();
                _quoteDepth--;
                break;
            default:
                if (HtmlTags.IsHeading(tag))
                {
                    FlushBlock(heading: tag[1] - '0');
                }
                else if (HtmlTags.Block.Contains(tag))
                {
                    FlushBlock();
                }

                break;
        }
    }

    private void AppendText(string text)
    {
        if (_preDepth > 0)
        {
            _pre.Append(text);
            return;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0')
            {
                if (_inline.Length > 0 && _inline[^1] is not (' ' or '\n'))
                {
                    _inline.Append(' ');
                }
            }
            else if (!char.IsControl(c))
            {
                _inline.Append(c);
            }
        }
    }

    private void FlushBlock(int heading = 0, bool listItem = false)
    {
        var text = _inline.ToString().Trim();
        _inline.Clear();
        if (text.Length == 0 || BoilerplatePhrases.IsBoilerplate(text))
        {
            return;
        }

        var prefix = new StringBuilder();
        for (var i = 0; i < _quoteDepth; i++)
        {
            prefix.Append("> ");
        }

        if (heading > 0)
        {
            prefix.Append('#', heading).Append(' ');
        }
        else if (_lists.Count > 0)
        {
            var (ordered, counter) = _lists.Peek();
            prefix.Append(' ', 2 * (_lists.Count - 1)).Append(ordered ? $"{Math.Max(counter, 1)}. " : "- ");
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            _output.Append(i == 0 ? prefix.ToString() : IndentFor(prefix)).Append(line).Append('\n');
        }

        if (!(listItem || _lists.Count > 0))
        {
            _output.Append('\n');
        }
    }

    private static string IndentFor(StringBuilder prefix)
    {
        var text = prefix.ToString();
        return text.StartsWith('>') ? text.TrimEnd('-', ' ', '#') + " " : new string(' ', text.Length);
    }

    private void EmitPre()
    {
        FlushBlock();
        var code = _pre.ToString().Trim('\n', '\r');
        _pre.Clear();
        if (code.Trim().Length == 0)
        {
            return;
        }

        var fence = "```";
        while (code.Contains(fence, StringComparison.Ordinal))
        {
            fence += "`";
        }

        _output.Append(fence).Append('\n').Append(code).Append('\n').Append(fence).Append("\n\n");
    }

    /// <summary>Renders a data table as a Markdown table; returns false for layout tables, which render as blocks.</summary>
    private bool TryRenderTable(IElement table)
    {
        var rows = new List<List<string>>();
        foreach (var row in Rows(table))
        {
            var cells = new List<string>();
            foreach (var cell in row.Children)
            {
                if (cell.LocalName is not ("td" or "th") || _removed.Contains(cell))
                {
                    continue;
                }

                if (HasBlockContent(cell))
                {
                    return false;
                }

                cells.Add(InlineText(cell).Replace("|", "\\|", StringComparison.Ordinal));
            }

            if (cells.Count > 0)
            {
                rows.Add(cells);
            }
        }

        if (rows.Count == 0 || rows.Max(r => r.Count) < 2)
        {
            return false;
        }

        FlushBlock();
        var width = rows.Max(r => r.Count);
        var caption = table.QuerySelector("caption");
        if (caption is not null && !_removed.Contains(caption))
        {
            var captionText = InlineText(caption);
            if (captionText.Length > 0)
            {
                _output.Append(captionText).Append("\n\n");
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            _output.Append('|');
            for (var c = 0; c < width; c++)
            {
                _output.Append(' ').Append(c < rows[r].Count ? rows[r][c] : string.Empty).Append(" |");
            }

            _output.Append('\n');
            if (r == 0)
            {
                _output.Append('|');
                for (var c = 0; c < width; c++)
                {
                    _output.Append(" --- |");
                }

                _output.Append('\n');
            }
        }

        _output.Append('\n');
        return true;
    }

    private IEnumerable<IElement> Rows(IElement table)
    {
        foreach (var child in table.Children)
        {
            if (_removed.Contains(child))
            {
                continue;
            }

            if (child.LocalName is "tr")
            {
                yield return child;
            }
            else if (child.LocalName is "thead" or "tbody" or "tfoot")
            {
                foreach (var row in child.Children)
                {
                    if (row.LocalName is "tr" && !_removed.Contains(row))
                    {
                        yield return row;
                    }
                }
            }
        }
    }

    private bool HasBlockContent(IElement cell)
    {
        var stack = new Stack<IElement>(cell.Children);
        var visited = 0;
        while (stack.Count > 0 && visited++ < 10_000)
        {
            var element = stack.Pop();
            if (_removed.Contains(element))
            {
                continue;
            }

            if (element.LocalName is "table" or "pre" or "ul" or "ol" or "blockquote" or "h1" or "h2" or "h3" ||
                (element.LocalName is "p" or "div" && _stats.TryGetValue(element, out var stats) && stats.Text > 200))
            {
                return true;
            }

            foreach (var child in element.Children)
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private string InlineText(IElement element)
    {
        var text = new StringBuilder();
        var stack = new Stack<INode>();
        stack.Push(element);
        while (stack.Count > 0)
        {
            _deadline.Tick();
            var node = stack.Pop();
            if (node is IText t)
            {
                foreach (var c in t.Data)
                {
                    if (char.IsWhiteSpace(c))
                    {
                        if (text.Length > 0 && text[^1] != ' ')
                        {
                            text.Append(' ');
                        }
                    }
                    else if (!char.IsControl(c))
                    {
                        text.Append(c);
                    }
                }

                continue;
            }

            if (node is IElement e && !_removed.Contains(e))
            {
                if (e.LocalName is "br" or "p" or "div" or "li" && text.Length > 0 && text[^1] != ' ')
                {
                    text.Append(' ');
                }

                var children = e.ChildNodes;
                for (var i = children.Length - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }

        return text.ToString().Trim();
    }

    /// <summary>Readability's conditional cleaning: link farms, image galleries and form fragments inside the content.</summary>
    private bool ShouldDropConditionally(IElement element)
    {
        var tag = element.LocalName;
        if (HtmlTags.IsHeading(tag))
        {
            return _stats.TryGetValue(element, out var heading) && heading.Text > 0 && heading.LinkDensity > 0.5 && BoilerplateNames.Weight(element.GetAttribute("class"), element.Id) < 0;
        }

        // A paragraph that is nothing but a link points elsewhere ("Read also: …"); it is not content.
        if (tag is "p" or "li" or "div" or "span" && _stats.TryGetValue(element, out var linked) && linked.Text > 0 && linked.LinkDensity > 0.9 && linked.Text < 300)
        {
            return true;
        }

        if (tag is not ("table" or "ul" or "ol" or "div" or "section" or "form" or "fieldset" or "header" or "dl"))
        {
            return false;
        }

        if (!_stats.TryGetValue(element, out var stats))
        {
            return false;
        }

        // Lists start from a negative content score, so for them only the name counts against them.
        var weight = BoilerplateNames.Weight(element.GetAttribute("class"), element.Id);
        var isListTag = tag is "ul" or "ol" or "dl";
        if (weight + (stats.IsCandidate && !isListTag ? stats.Score : 0) < 0)
        {
            return true;
        }

        if (stats.Commas >= 10)
        {
            return false;
        }

        var isList = tag is "ul" or "ol" or "dl";
        var paragraphs = stats.Paragraphs;
        var images = stats.Images;
        var density = stats.LinkDensity;
        var headingDensity = stats.Text == 0 ? 0 : (double)stats.Headings / stats.Text;
        return (images > 1 && paragraphs < images / 2.0 && stats.Text < 200)
            || (!isList && stats.ListItems - 100 > paragraphs)
            || (stats.Inputs > paragraphs / 3 && stats.Inputs > 0)
            || (!isList && headingDensity < 0.9 && stats.Text < 25 && (images == 0 || images > 2) && density > 0)
            || (!isList && weight < 25 && density > 0.2)
            || (isList && density > 0.6 && stats.Text < 2000)
            || (weight >= 25 && density > 0.5)
            || (stats.Embeds == 1 && stats.Text < 75) || stats.Embeds > 1;
    }

    private static string Tidy(StringBuilder output)
    {
        var text = output.ToString();
        var tidy = new StringBuilder(text.Length);
        var newlines = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                if (++newlines <= 2 && tidy.Length > 0)
                {
                    tidy.Append(c);
                }
            }
            else
            {
                newlines = 0;
                tidy.Append(c);
            }
        }

        return tidy.ToString().Trim('\n');
    }
}
