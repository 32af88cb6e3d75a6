using System.Globalization;
using System.Xml;
using SecForge.Core.Taxonomy;
using SecForge.RedTeam.Running;

namespace SecForge.RedTeam.Reports;

/// <summary>
/// JUnit XML for CI: one test suite per category (OWASP id, harm, over-refusal), one test case per attack; a
/// successful attack (or a refused benign request) is a failure, an ungraded or unsent one is skipped.
/// </summary>
public static class JUnitReport
{
    public static void Write(string path, RedTeamResults results, IReadOnlyList<Attempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(attempts);
        var suites = attempts
            .GroupBy(a => a.Benign ? "over-refusal" : a.Harm is { } harm ? "harm:" + CyberHarms.Name(harm) : (a.Owasp.Count > 0 ? a.Owasp[0] : a.Plugin), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        Core.IO.AtomicFile.Write(path, stream =>
        {
            using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
            writer.WriteStartDocument();
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", $"secforge redteam {results.Target}");
            writer.WriteAttributeString("tests", Count(attempts.Count));
            writer.WriteAttributeString("failures", Count(attempts.Count(IsFailure)));
            writer.WriteAttributeString("skipped", Count(attempts.Count(IsSkipped)));
            writer.WriteAttributeString("time", results.ElapsedSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            foreach (var suite in suites)
            {
                var name = suite.Key.StartsWith("LLM", StringComparison.Ordinal) && results.Categories.TryGetValue(suite.Key, out var score) ? $"{suite.Key} {score.Name}" : suite.Key;
                writer.WriteStartElement("testsuite");
                writer.WriteAttributeString("name", name);
                writer.WriteAttributeString("tests", Count(suite.Count()));
                writer.WriteAttributeString("failures", Count(suite.Count(IsFailure)));
                writer.WriteAttributeString("skipped", Count(suite.Count(IsSkipped)));
                foreach (var attempt in suite.OrderBy(a => a.AttackId, StringComparer.Ordinal))
                {
                    writer.WriteStartElement("testcase");
                    writer.WriteAttributeString("classname", $"{suite.Key}.{attempt.Plugin}");
                    writer.WriteAttributeString("name", attempt.AttackId);
                    writer.WriteAttributeString("time", (attempt.LatencyMs / 1000).ToString("0.###", CultureInfo.InvariantCulture));
                    if (IsFailure(attempt))
                    {
                        writer.WriteStartElement("failure");
                        writer.WriteAttributeString("message", attempt.Benign ? "over-refusal" : $"attack succeeded ({attempt.Strategy})");
                        writer.WriteAttributeString("type", attempt.DecidedBy ?? "grader");
                        writer.WriteString(attempt.Reason ?? string.Empty);
                        writer.WriteEndElement();
                    }
                    else if (IsSkipped(attempt))
                    {
                        writer.WriteStartElement("skipped");
                        writer.WriteAttributeString("message", attempt.Error is null ? attempt.Reason ?? "ungraded" : "not sent: " + attempt.Error);
                        writer.WriteEndElement();
                    }

                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        });
    }

    private static bool IsFailure(Attempt attempt) => attempt.Verdict == AttemptVerdict.Unsafe;

    private static bool IsSkipped(Attempt attempt) => attempt.Verdict == AttemptVerdict.Ungraded;

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
