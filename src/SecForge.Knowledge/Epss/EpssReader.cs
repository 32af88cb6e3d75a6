using System.Globalization;

namespace SecForge.Knowledge.Epss;

/// <summary>One FIRST EPSS score: the probability of exploitation activity in the next 30 days, and its percentile.</summary>
public sealed record EpssScore(string CveId, double Epss, double Percentile);

/// <summary>
/// Reads FIRST's EPSS CSV (<c>epss_scores-YYYY-MM-DD.csv.gz</c>): an optional <c>#model_version:...,score_date:...</c>
/// line, the header <c>cve,epss,percentile</c>, then one row per CVE. A row that is not a CVE id and two numbers
/// in 0..1 is a counted failure naming its line.
/// </summary>
public static class EpssReader
{
    public sealed class Header
    {
        public string ModelVersion { get; internal set; } = string.Empty;

        public string ScoreDate { get; internal set; } = string.Empty;
    }

    public static IEnumerable<EpssScore> Read(TextReader reader, List<string> failures, Header? header = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(failures);
        var line = 0;
        string? text;
        var columns = new[] { "cve", "epss", "percentile" };
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('#'))
            {
                foreach (var part in text.TrimStart('#').Split(','))
                {
                    var pair = part.Split(':', 2);
                    if (pair.Length == 2 && header is not null)
                    {
                        if (pair[0].Trim() == "model_version")
                        {
                            header.ModelVersion = pair[1].Trim();
                        }
                        else if (pair[0].Trim() == "score_date")
                        {
                            header.ScoreDate = pair[1].Trim();
                        }
                    }
                }

                continue;
            }

            var fields = text.Split(',');
            if (fields[0].Trim().Equals("cve", StringComparison.OrdinalIgnoreCase))
            {
                columns = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
                continue;
            }

            var cve = Array.IndexOf(columns, "cve");
            var epss = Array.IndexOf(columns, "epss");
            var percentile = Array.IndexOf(columns, "percentile");
            if (cve < 0 || epss < 0 || fields.Length <= Math.Max(cve, Math.Max(epss, percentile))
                || !fields[cve].Trim().StartsWith("CVE-", StringComparison.OrdinalIgnoreCase)
                || !double.TryParse(fields[epss], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || score is < 0 or > 1
                || (percentile >= 0 && (!double.TryParse(fields[percentile], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) || rank is < 0 or > 1)))
            {
                failures.Add($"line {line}: not 'CVE-id,epss,percentile' with scores in 0..1: '{(text.Length > 80 ? text[..80] : text)}'");
                continue;
            }

            yield return new EpssScore(fields[cve].Trim().ToUpperInvariant(), score, percentile >= 0 ? double.Parse(fields[percentile], CultureInfo.InvariantCulture) : double.NaN);
        }
    }
}
