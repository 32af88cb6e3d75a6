using System.Globalization;
using System.Net;
using System.Text;
using SecForge.Reporting.Model;

namespace SecForge.Reporting.Charts;

/// <summary>Draws report charts as inline SVG: no scripts, no external assets, the same bytes for the same data.</summary>
public static class SvgChart
{
    /// <summary>Colour-blind-safe palette (Okabe–Ito).</summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    private const int Width = 720;
    private const int BarHeight = 14;
    private const int GroupGap = 10;

    /// <summary>Renders a grouped horizontal bar chart.</summary>
    public static string Bars(BarChartBlock chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var labelWidth = Math.Clamp(chart.Categories.Select(c => c.Label.Length).DefaultIfEmpty(4).Max() * 7 + 16, 80, 260);
        var plotLeft = labelWidth;
        var plotWidth = Width - plotLeft - 60;
        var legendHeight = chart.Series.Count > 1 ? 22 : 0;
        var groupHeight = (chart.Series.Count * BarHeight) + GroupGap;
        var height = legendHeight + 24 + (chart.Categories.Count * groupHeight) + 24;
        var maximum = chart.Maximum ?? chart.Categories.SelectMany(c => c.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(1).Max();
        if (maximum <= 0)
        {
            maximum = 1;
        }

        var svg = Begin(height, chart.Title);
        var x = 0;
        for (var s = 0; s < chart.Series.Count && chart.Series.Count > 1; s++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{plotLeft + x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Count]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + x + 16}\" y=\"14\" class=\"legend\">{Escape(chart.Series[s])}</text>");
            x += 28 + (chart.Series[s].Length * 7);
        }

        var top = legendHeight + 12;
        var plotBottom = top + (chart.Categories.Count * groupHeight);
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = maximum * tick / 4;
            var tx = plotLeft + (plotWidth * tick / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{tx:0.#}\" y1=\"{top - 4}\" x2=\"{tx:0.#}\" y2=\"{plotBottom}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{tx:0.#}\" y=\"{plotBottom + 14}\" class=\"tick\" text-anchor=\"middle\">{value.ToString(chart.ValueFormat, CultureInfo.InvariantCulture)}</text>");
        }

        for (var c = 0; c < chart.Categories.Count; c++)
        {
            var category = chart.Categories[c];
            var groupTop = top + (c * groupHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft - 8}\" y=\"{groupTop + (chart.Series.Count * BarHeight / 2.0) + 4:0.#}\" class=\"label\" text-anchor=\"end\">{Escape(category.Label)}</text>");
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = s < category.Values.Count ? category.Values[s] : null;
                var y = groupTop + (s * BarHeight);
                if (value is null)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + 4}\" y=\"{y + 11}\" class=\"value\">n/a</text>");
                    continue;
                }

                var barWidth = Math.Max(1, plotWidth * Math.Clamp(value.Value / maximum, 0, 1));
                var formatted = value.Value.ToString(chart.ValueFormat, CultureInfo.InvariantCulture);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{plotLeft}\" y=\"{y + 1}\" width=\"{barWidth:0.#}\" height=\"{BarHeight - 2}\" fill=\"{Palette[s % Palette.Count]}\"><title>{Escape(category.Label)} — {Escape(chart.Series[s])}: {formatted}</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + barWidth + 4:0.#}\" y=\"{y + 11}\" class=\"value\">{formatted}</text>");
            }
        }

        return End(svg);
    }

    /// <summary>Renders a histogram with vertical bars.</summary>
    public static string Histogram(HistogramBlock histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        const int height = 240;
        const int left = 56;
        const int bottom = 190;
        const int top = 16;
        var plotWidth = Width - left - 16;
        var maximum = Math.Max(1, histogram.Bins.Select(b => b.Count).DefaultIfEmpty(0).Max());
        var svg = Begin(height, histogram.Title);
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = maximum * tick / 4.0;
            var y = bottom - ((bottom - top) * tick / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + plotWidth}\" y2=\"{y:0.#}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" class=\"tick\" text-anchor=\"end\">{value.ToString("0.#", CultureInfo.InvariantCulture)}</text>");
        }

        var count = Math.Max(1, histogram.Bins.Count);
        var slot = plotWidth / (double)count;
        var labelEvery = Math.Max(1, (int)Math.Ceiling(count / 12.0));
        for (var i = 0; i < histogram.Bins.Count; i++)
        {
            var bin = histogram.Bins[i];
            var barHeight = (bottom - top) * (bin.Count / (double)maximum);
            var x = left + (i * slot) + 1;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{bottom - barHeight:0.#}\" width=\"{Math.Max(1, slot - 2):0.#}\" height=\"{Math.Max(barHeight, 0.5):0.#}\" fill=\"{Palette[0]}\"><title>{Escape(bin.Label)}: {bin.Count}</title></rect>");
            if (i % labelEvery == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (slot / 2):0.#}\" y=\"{bottom + 14}\" class=\"tick\" text-anchor=\"middle\">{Escape(bin.Label)}</text>");
            }
        }

        if (histogram.XLabel is { } label)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{bottom + 34}\" class=\"label\" text-anchor=\"middle\">{Escape(label)}</text>");
        }

        return End(svg);
    }

    private static StringBuilder Begin(int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
