using System.Text.Json.Serialization;

namespace SecForge.Reporting.Model;

/// <summary>One piece of a report section.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ParagraphBlock), "paragraph")]
[JsonDerivedType(typeof(MetricsBlock), "metrics")]
[JsonDerivedType(typeof(TableBlock), "table")]
[JsonDerivedType(typeof(BarChartBlock), "bar_chart")]
[JsonDerivedType(typeof(HistogramBlock), "histogram")]
[JsonDerivedType(typeof(CodeBlock), "code")]
[JsonDerivedType(typeof(NoteBlock), "note")]
[JsonDerivedType(typeof(ComparisonBlock), "comparison")]
public abstract record ReportBlock;

/// <summary>Plain text; blank lines separate paragraphs.</summary>
public sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>Headline numbers shown as cards.</summary>
public sealed record MetricsBlock(IReadOnlyList<Metric> Metrics) : ReportBlock;

/// <summary>A headline number.</summary>
/// <param name="Label">What it measures.</param>
/// <param name="Value">The formatted value.</param>
/// <param name="Detail">An interval, a count or a delta, if any.</param>
public sealed record Metric(string Label, string Value, string? Detail = null);

/// <summary>A table; numeric-looking cells are right-aligned.</summary>
public sealed record TableBlock(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null) : ReportBlock;

/// <summary>
/// Horizontal bars, one group per category and one bar per series (e.g. safety per OWASP category for three models).
/// </summary>
/// <param name="Title">The chart title.</param>
/// <param name="Series">Series names, in legend order.</param>
/// <param name="Categories">Each category with one value per series (null where missing).</param>
/// <param name="Maximum">The scale's end; the largest value when null.</param>
/// <param name="ValueFormat">A .NET numeric format for the value labels.</param>
public sealed record BarChartBlock(
    string Title,
    IReadOnlyList<string> Series,
    IReadOnlyList<BarCategory> Categories,
    double? Maximum = null,
    string ValueFormat = "0.##") : ReportBlock;

/// <summary>A category of a bar chart.</summary>
public sealed record BarCategory(string Label, IReadOnlyList<double?> Values);

/// <summary>A histogram of counts over bins.</summary>
public sealed record HistogramBlock(string Title, IReadOnlyList<HistogramBin> Bins, string? XLabel = null) : ReportBlock;

/// <summary>A histogram bin.</summary>
public sealed record HistogramBin(string Label, long Count);

/// <summary>Verbatim text (code, a prompt, a reply).</summary>
public sealed record CodeBlock(string Text, string? Caption = null) : ReportBlock;

/// <summary>A call-out.</summary>
public sealed record NoteBlock(NoteKind Kind, string Text) : ReportBlock;

/// <summary>How a note is styled.</summary>
public enum NoteKind
{
    Info,
    Warning,
    Error,
}

/// <summary>Two texts side by side (before and after a rewrite).</summary>
public sealed record ComparisonBlock(string LeftTitle, string Left, string RightTitle, string Right, string? Caption = null) : ReportBlock;
