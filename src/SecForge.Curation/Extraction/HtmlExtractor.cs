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
