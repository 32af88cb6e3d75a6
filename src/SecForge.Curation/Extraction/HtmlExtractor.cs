using System.Diagnostics;
using AngleSharp.Html.Parser;

namespace SecForge.Curation.Extraction;

/// <summary>
/// Turns an HTML page into its main content as Markdown: boilerplate (navigation, footers, cookie banners,
/// share bars, comments, related links) removed, headings, lists and tables kept, <c>&lt;pre&gt;</c> and
/// <c>&lt;code&gt;</c> verbatim. Works on any page within a hard time budget: a page it cannot finish in time
/// fails with a reason instead of holding up a run. Thread-safe.
/// </summary>
public sealed partial class HtmlExtractor
{
    private static readonly ThreadLocal<HtmlParser> Parsers = new(() => new HtmlParser(new HtmlParserOptions
    {
        IsKeepingSourceReferences = false,
        IsNotConsumingCharacterReferences = false,
        IsScripting = false,
    }));

    private readonly ExtractionOptions _options;

    public HtmlExtractor(ExtractionOptions? options = null) => _options = options ?? new ExtractionOptions();

    /// <summary>Extracts the main content of <paramref name="html"/>.</summary>
    public ExtractionResult Extract(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var truncated = false;
        if (html.Length > _options.MaxHtmlChars)
        {
            html = html[.._options.MaxHtmlChars];
            truncated = true;
        }

        var depth = EstimateNestingDepth(html);
        if (depth > _options.MaxNestingDepth)
        {
            return new ExtractionResult(string.Empty, null, $"the page nests elements about {depth:N0} deep (limit {_options.MaxNestingDepth:N0})", truncated);
        }

        var deadline = new Deadline(_options.TimeBudget, cancellationToken);
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(_options.TimeBudget);
            var document = Parsers.Value!.ParseDocumentAsync(html, budget.Token).GetAwaiter().GetResult();
            deadline.Check();
            var page = new PageAnalysis(document, _options, deadline);
            var (text, title) = page.Extract();
            return new ExtractionResult(text, title, Truncated: truncated);
        }
        catch (ExtractionTimeoutException exception)
        {
            return new ExtractionResult(string.Empty, null, exception.Message, truncated);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExtractionResult(string.Empty, null, $"extraction exceeded its time budget of {_options.TimeBudget.TotalSeconds:0.###} s", truncated);
        }
        catch (InsufficientExecutionStackException)
        {
            return new ExtractionResult(string.Empty, null, "the page nests elements too deeply to parse", truncated);
        }
    }

    private static readonly HashSet<string> SelfClosing = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "td", "th", "tr", "option", "dt", "dd", "!doctype",
    };

    /// <summary>
    /// The deepest nesting of elements a quick scan of the tags sees (void and self-closing-in-practice elements
    /// such as &lt;p&gt; and &lt;li&gt; do not count). Not a parse: an upper-bound estimate for rejecting pathological pages.
    /// </summary>
    internal static int EstimateNestingDepth(ReadOnlySpan<char> html)
    {
        var depth = 0;
        var max = 0;
        Span<char> name = stackalloc char[16];
        var i = 0;
        while ((i = html.IndexOf('<')) >= 0)
        {
            html = html[(i + 1)..];
            if (html.IsEmpty)
            {
                break;
            }

            var closing = html[0] == '/';
            var start = closing ? 1 : 0;
            var length = 0;
            while (start + length < html.Length && length < name.Length && (char.IsAsciiLetterOrDigit(html[start + length]) || html[start + length] == '!'))
            {
                name[length] = html[start + length];
                length++;
            }

            if (length == 0 || SelfClosing.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name[..length]))
            {
                continue;
            }

            // Script and style bodies are text ("i<n" is a comparison, not a tag): skip to their end.
            if (!closing && (name[..length].Equals("script", StringComparison.OrdinalIgnoreCase) || name[..length].Equals("style", StringComparison.OrdinalIgnoreCase)))
            {
                var endTag = name[..length].Equals("script", StringComparison.OrdinalIgnoreCase) ? "</script" : "</style";
                var close = html.IndexOf(endTag, StringComparison.OrdinalIgnoreCase);
                html = close < 0 ? [] : html[(close + endTag.Length)..];
                continue;
            }

            if (closing)
            {
                depth = Math.Max(0, depth - 1);
            }
            else
            {
                var end = html.IndexOf('>');
                if (end > 0 && html[end - 1] == '/')
                {
                    continue;
                }

                max = Math.Max(max, ++depth);
            }
        }

        return max;
    }

    /// <summary>For diagnosis: how the analysis treated the element holding <paramref name="needle"/> (removed, main content, scores), innermost first.</summary>
    public IReadOnlyList<string> Explain(string html, string needle)
    {
        var document = Parsers.Value!.ParseDocument(html);
        return new PageAnalysis(document, _options, new Deadline(TimeSpan.FromMinutes(1), CancellationToken.None)).Explain(needle);
    }

    /// <summary>A time limit checked cheaply from inner loops.</summary>
    internal sealed class Deadline(TimeSpan budget, CancellationToken cancellationToken)
    {
        private readonly long _end = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        private int _calls;

        public void Check()
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() > _end)
            {
                throw new ExtractionTimeoutException($"extraction exceeded its time budget of {budget.TotalSeconds:0.###} s");
            }
        }

        /// <summary>Checks every 512th call.</summary>
        public void Tick()
        {
            if ((++_calls & 511) == 0)
            {
                Check();
            }
        }
    }
}
