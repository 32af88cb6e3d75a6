using System.Globalization;
using SecForge.Reporting.Model;

namespace SecForge.Curation.Pipeline;

/// <summary>Turns a run's stats into its report: the funnel, drop reasons, languages, lengths, tokens, domains, failures.</summary>
public static class CorpusReport
{
    public static Report Build(CorpusStats stats, CorpusConfig config)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(config);
        var report = new Report("Corpus run") { Subtitle = "Foundation-Sec data pipeline: extraction, language, relevance, quality, scrubbing, deduplication, tokenization" };
        report.AddFact("Shards", N(stats.Shards)).AddFact("Seed", N(stats.Seed)).AddFact("Tokenizer", stats.Tokenizer)
            .AddFact("Config fingerprint", stats.ConfigFingerprint).AddFact("SecForge", stats.Version);

        report.AddSection("Summary").Add(new MetricsBlock(
        [
            new Metric("Pages read", N(stats.Pages), $"{stats.RawBytes / 1e6:0.0} MB raw; {N(stats.RecordsRead)} records with the crawl's request and metadata records"),
            new Metric("Documents kept", N(stats.Documents), stats.Pages == 0 ? null : $"{100.0 * stats.Documents / stats.Pages:0.0}% of pages"),
            new Metric("Tokens", N(stats.Tokens), $"{N(stats.PackedSequences)} × {N(stats.SequenceLength)}-token sequences"),
            new Metric("Failed records", N(stats.RecordsFailed), stats.Failures.Count == 0 ? null : string.Join(", ", stats.Failures.Keys.Take(3))),
        ]));

        var funnel = report.AddSection("Funnel", "Documents and bytes into and out of each stage, in pipeline order.");
        funnel.Add(new TableBlock(
            ["Stage", "Documents in", "Documents out", "Dropped", "MB in", "MB out"],
            stats.Stages.Select(s => (IReadOnlyList<string>)[s.Name, N(s.DocumentsIn), N(s.DocumentsOut), P(s.DropRate), Mb(s.BytesIn), Mb(s.BytesOut)]).ToList()));
        funnel.Add(new BarChartBlock(
            "Documents out of each stage",
            ["documents"],
            stats.Stages.Select(s => new BarCategory(s.Name, [s.DocumentsOut])).ToList(),
            ValueFormat: "#,0"));

        var drops = stats.Stages.SelectMany(s => s.Drops.Select(d => (Stage: s, Reason: d.Key, Count: d.Value))).OrderByDescending(d => d.Count).ToList();
        var reasons = report.AddSection("Drop reasons", "Every rule reports how many documents it dropped, as a share of the documents its stage saw.");
        reasons.Add(drops.Count == 0
            ? new ParagraphBlock("No document was dropped.")
            : new TableBlock(["Reason", "Documents", "Rate within stage"], drops.Select(d => (IReadOnlyList<string>)[d.Reason, N(d.Count), P(d.Stage.DocumentsIn == 0 ? 0 : (double)d.Count / d.Stage.DocumentsIn)]).ToList()));
        if (stats.ParagraphsRemoved > 0 || config.Dedup.Paragraphs.Enabled)
        {
            reasons.Add(new ParagraphBlock(string.Create(CultureInfo.InvariantCulture,
                $"Paragraph dedup removed {stats.ParagraphsRemoved:N0} duplicate paragraphs; its {Core.IO.ByteSize.Format((long)(stats.ParagraphBloomMb * 1024 * 1024))} Bloom filter ends with an expected false-positive rate of {(stats.ParagraphBloomFalsePositiveRate < 1e-6 ? "below 0.0001%" : stats.ParagraphBloomFalsePositiveRate.ToString("0.####%", CultureInfo.InvariantCulture))}.")));
        }

        var languages = report.AddSection("Languages");
        languages.Add(new BarChartBlock("Kept documents by language (before dedup)", ["documents"], stats.Languages.OrderByDescending(l => l.Value).Select(l => new BarCategory(l.Key, [l.Value])).ToList(), ValueFormat: "#,0"));

        var lengths = report.AddSection("Lengths and tokens");
        lengths.Add(new HistogramBlock("Document length", stats.LengthHistogram.Select(b => new HistogramBin(b.Key, b.Value)).ToList(), "characters"));
        lengths.Add(new HistogramBlock("Tokens per document", stats.TokenHistogram.Select(b => new HistogramBin(b.Key, b.Value)).ToList(), "tokens"));

        if (stats.Domains.Count > 0)
        {
            report.AddSection("Top domains").Add(new TableBlock(["Domain", "Documents (before dedup)"], stats.Domains.Take(25).Select(d => (IReadOnlyList<string>)[d.Key, N(d.Value)]).ToList()));
        }

        var scrub = report.AddSection("Scrubbing", "Secrets are always replaced with typed placeholders; indicators of compromise are kept.");
        scrub.Add(stats.Scrubbed.Count == 0
            ? new ParagraphBlock("Nothing needed scrubbing.")
            : new TableBlock(["Placeholder", "Replacements"], stats.Scrubbed.OrderByDescending(s => s.Value).Select(s => (IReadOnlyList<string>)[$"[{s.Key}]", N(s.Value)]).ToList()));

        var failures = report.AddSection("Failed and skipped records");
        if (stats.RecordsFailed == 0)
        {
            failures.Add(new ParagraphBlock("No record failed."));
        }
        else
        {
            failures.Add(new TableBlock(["Failure", "Records"], stats.Failures.OrderByDescending(f => f.Value).Select(f => (IReadOnlyList<string>)[f.Key, N(f.Value)]).ToList()));
            failures.Add(new TableBlock(["Where", "Failure", "Why"], stats.FailureExamples.Take(20).Select(f => (IReadOnlyList<string>)[f.Location, f.Code, f.Reason]).ToList(), "Examples"));
        }

        if (stats.Skipped.Count > 0)
        {
            failures.Add(new TableBlock(["Skipped (not documents)", "Records"], stats.Skipped.OrderByDescending(s => s.Value).Select(s => (IReadOnlyList<string>)[s.Key, N(s.Value)]).ToList()));
        }

        report.AddSection("Outputs").Add(new CodeBlock(string.Join('\n', stats.Outputs.Prepend("stats.json").Append("report.html"))));
        return report;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.00", CultureInfo.InvariantCulture);
}
