using SecForge.Curation.Pipeline;
using SecForge.Curation.Quality;
using SecForge.Curation.Steps;

namespace SecForge.Curation.Tests;

/// <summary>
/// Each rule of the quality filter (Gopher quality and repetition, C4, FineWeb) on a document made to break that rule
/// alone, the drop reason it reports, and the security-aware exemptions: code, IOC lists and tables are not low quality.
/// </summary>
public sealed class QualityFilterTests
{
    private static readonly string[] Sentences =
    [
        "The attackers gained access to the network through a phishing email that carried a malicious document.",
        "Once the macro ran, it downloaded a loader from a server that the group had registered two weeks earlier.",
        "The loader then injected a beacon into a legitimate process and waited for commands from its operators.",
        "Defenders noticed the intrusion when the endpoint agent flagged an unusual child process of the mail client.",
        "They isolated the host, collected memory and disk images, and blocked the domain at the perimeter.",
        "The investigation found that the same account had been used to reach a file server on the next day.",
        "All affected passwords were reset and the team added a detection rule for the technique they had missed.",
    ];

    /// <summary>Prose that passes every rule: about 120 words in two paragraphs of whole sentences.</summary>
    private static string GoodProse => string.Join(' ', Sentences[..4]) + "\n\n" + string.Join(' ', Sentences[4..]);

    private static QualityConfig Only(Action<QualityConfig> configure)
    {
        var config = new QualityConfig();
        config.Gopher.Enabled = false;
        config.Repetition.Enabled = false;
        config.C4.Enabled = false;
        config.Fineweb.Enabled = false;
        configure(config);
        return config;
    }

    private static StepOutcome Run(QualityConfig config, string text) =>
        new QualityFilter(config).Process(new CorpusDocument { Id = "d", Location = "test", Text = text, Language = "en" });

    [Fact]
    public void GoodProse_PassesEveryRule() => Assert.True(Run(new QualityConfig(), GoodProse).Kept);

    public static TheoryData<string, string> GopherCases() => new()
    {
        { "quality:gopher_min_words", "Only a few words here, nowhere near fifty of them." },
        { "quality:gopher_mean_word_length", string.Join(' ', Enumerable.Repeat("it is a go to an ox on by me so we", 6)) + "." },
        { "quality:gopher_symbol_ratio", string.Join(' ', Sentences) + " " + string.Join(' ', Enumerable.Repeat("# tag", 30)) },
        { "quality:gopher_bullet_lines", string.Join('\n', Enumerable.Repeat("- the attackers used a loader that was sent to the victims by email", 10)) },
        { "quality:gopher_ellipsis_lines", string.Join('\n', Sentences.Select(s => s.TrimEnd('.') + "...")) },
        { "quality:gopher_alpha_words", string.Join(' ', Sentences[..2]) + " " + string.Join(' ', Enumerable.Range(1000, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))) },
        { "quality:gopher_stop_words", string.Join(' ', Enumerable.Repeat("Malware loader beacon domain server host memory disk image rule", 6)) + "." },
    };

    [Theory]
    [MemberData(nameof(GopherCases))]
    public void EachGopherQualityRule_DropsWithItsOwnReason(string reason, string text)
    {
        var outcome = Run(Only(c => c.Gopher.Enabled = true), text);
        Assert.False(outcome.Kept);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void GopherMaxWords_DropsADocumentPastTheLimit()
    {
        var outcome = Run(Only(c => { c.Gopher.Enabled = true; c.Gopher.MaxWords = 60; }), GoodProse);
        Assert.Equal("quality:gopher_max_words", outcome.Reason);
    }

    public static TheoryData<string, string> RepetitionCases() => new()
    {
        { "quality:gopher_duplicate_paragraphs", string.Join("\n\n", Enumerable.Repeat(Sentences[0], 4).Concat(Sentences[1..3])) },
        { "quality:gopher_duplicate_lines", string.Join('\n', Sentences.Concat(Enumerable.Repeat("Short repeated line here.", 6))) },
        { "quality:gopher_top_2gram", string.Join(' ', Enumerable.Repeat("remote access", 20)) + " " + string.Join(' ', Sentences[..2]) },
        { "quality:gopher_duplicate_5grams", string.Join(' ', Sentences[..3]) + " " + string.Join(' ', Enumerable.Repeat("the attackers moved to the file server and then", 3)) },
    };

    [Theory]
    [MemberData(nameof(RepetitionCases))]
    public void EachGopherRepetitionRule_DropsWithItsOwnReason(string reason, string text)
    {
        var outcome = Run(Only(c => c.Repetition.Enabled = true), text);
        Assert.False(outcome.Kept);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void C4_DropsLoremIpsumAndTooFewSentences_AndRemovesPolicyAndFragmentLines()
    {
        var config = Only(c => c.C4.Enabled = true);
        Assert.Equal("quality:c4_lorem_ipsum", Run(config, GoodProse + "\n\nLorem ipsum dolor sit amet.").Reason);
        Assert.Equal("quality:c4_min_sentences", Run(config, "One sentence about a breach only.").Reason);

        var document = new CorpusDocument { Id = "d", Location = "test", Text = GoodProse + "\n\nThis site uses cookies to improve your experience.\nShare\nIOC: 203.0.113.7", Language = "en" };
        Assert.True(new QualityFilter(config).Process(document).Kept);
        Assert.DoesNotContain("cookies", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Share", document.Text, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void C4CurlyBraceRule_IsOffByDefault_SoCodeIsKept()
    {
        var withCode = GoodProse + "\n\n```c\nint main(void) { return exploit(); }\n```";
        Assert.True(Run(new QualityConfig(), withCode).Kept);
        Assert.Equal("quality:c4_curly_brace", Run(Only(c => { c.C4.Enabled = true; c.C4.DropCurlyBrace = true; }), withCode).Reason);
    }

    public static TheoryData<string, string> FineWebCases() => new()
    {
        { "quality:fineweb_line_punctuation", string.Join('\n', Sentences.Select(s => s.TrimEnd('.'))) },
        { "quality:fineweb_short_lines", string.Join('\n', Sentences[..2].Concat(Enumerable.Repeat("Read more.", 8))) },
        { "quality:fineweb_duplicate_line_chars", string.Join('\n', Sentences[..3].Concat(Enumerable.Repeat(Sentences[3], 3))) },
        { "quality:fineweb_newline_ratio", string.Join('\n', Enumerable.Range(0, 30).Select(i => $"Exfiltration completed successfully{i}.")) },
    };

    [Theory]
    [MemberData(nameof(FineWebCases))]
    public void EachFineWebRule_DropsWithItsOwnReason(string reason, string text)
    {
        var outcome = Run(Only(c => c.Fineweb.Enabled = true), text);
        Assert.False(outcome.Kept);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void SecurityContent_IsNotLowQuality_UnderEveryRule()
    {
        var iocs = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"- 198.51.100.{i}"));
        var hashes = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"| sha256 | {new string((char)('a' + (i % 6)), 64)} |"));
        var code = "```powershell\n" + string.Join('\n', Enumerable.Repeat("Get-ChildItem -Path C:\\Users -Recurse | Where-Object { $_.Length -gt 1MB }", 10)) + "\n```";
        var report = GoodProse + "\n\nIndicators of compromise:\n\n" + iocs + "\n\n| type | value |\n|---|---|\n" + hashes + "\n\nThe script the attackers ran:\n\n" + code;
        var outcome = Run(new QualityConfig(), report);
        Assert.True(outcome.Kept, outcome.Reason);
    }
}
