using SecForge.Curation.Relevance;
using SecForge.Curation.Steps;
using SecForge.Testing;

namespace SecForge.Curation.Tests;

public sealed class LanguageAndRelevanceTests
{
    private const string CveHeavy = """
        CVE-2024-3400 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H 10.0 PAN-OS 10.2.9-h1 11.0.4-h1 11.1.2-h3
        CVE-2023-4966 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 7.5 NetScaler ADC 14.1-8.50 13.1-49.15
        CVE-2023-34362 CWE-89 MOVEit Transfer 2023.0.1 2022.1.5 2022.0.4
        Affected products must be patched. The vendor released fixes for all supported branches and recommends upgrading immediately.
        Indicators: 203.0.113.45 198.51.100.7 d41d8cd98f00b204e9800998ecf8427e e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """;

    [Fact]
    public void CveHeavyEnglish_IsEnglish_NotDropped()
    {
        var filter = new LanguageFilter(["en"]);
        var document = new CorpusDocument { Id = "1", Location = "test", Text = CveHeavy };

        Assert.True(filter.Process(document).Kept);
        Assert.Equal("en", document.Language);
    }

    [Fact]
    public void GermanProse_IsDropped_WithTheLanguageAsReason()
    {
        var filter = new LanguageFilter(["en"]);
        var document = new CorpusDocument
        {
            Id = "2",
            Location = "test",
            Text = "Der Hersteller hat ein Sicherheitsupdate veröffentlicht, das eine kritische Schwachstelle in der Verwaltungsoberfläche schließt. Angreifer können ohne Anmeldung Befehle ausführen, wenn das Gerät aus dem Internet erreichbar ist.",
        };

        var outcome = filter.Process(document);

        Assert.False(outcome.Kept);
        Assert.Equal("language:de", outcome.Reason);
    }

    [Fact]
    public void AListOfIndicators_HasNoLanguage_AndIsKeptByDefault()
    {
        var filter = new LanguageFilter(["en"]);
        var document = new CorpusDocument { Id = "3", Location = "test", Text = "203.0.113.45\n198.51.100.7\nd41d8cd98f00b204e9800998ecf8427e\nCVE-2024-3400\nT1059.001" };

        Assert.True(filter.Process(document).Kept);
        Assert.Equal("und", document.Language);
        Assert.False(new LanguageFilter(["en"], keepUndetermined: false).Process(document).Kept);
    }

    [Fact]
    public void Lexicon_FindsSpecificTermsAcronymsAndIds_ButNotHardNegatives()
    {
        var lexicon = SecurityLexicon.Default;
        Assert.True(lexicon.Count >= 600, $"the lexicon has {lexicon.Count} entries");

        var security = lexicon.Match("The ransomware affiliate exploited CVE-2024-3400 for initial access, deployed a RAT over C2 and used Mimikatz for credential dumping before lateral movement.");
        var sport = lexicon.Match("The striker's attack tore through the defence, and the team exploited the space on the counter-attack to secure a comfortable win.");
        var biology = lexicon.Match("The virus infects the host cell and evades the immune defence until the rat's antibodies attack it.");

        Assert.True(security.DistinctTerms >= 6, $"security text: {security.DistinctTerms} terms");
        Assert.True(sport.DistinctTerms < 3, $"sport text: {sport.DistinctTerms} terms");
        Assert.True(biology.DistinctTerms < 3, $"biology text: {biology.DistinctTerms} terms");
    }

    [Fact]
    public void ExtendedLexicon_AddsUserTerms()
    {
        using var directory = new SecForge.Testing.TempDirectory();
        var path = directory.File("extra.yaml");
        File.WriteAllText(path, "terms:\n  - quantum key distribution\nacronyms:\n  - QKD\npatterns:\n  - 'ICSA-\\d{2}-\\d{3}-\\d{2}'\n");

        var lexicon = SecurityLexicon.Load(path);
        var match = lexicon.Match("QKD networks and quantum key distribution are covered by ICSA-24-123-01.");

        Assert.Equal(3, match.DistinctTerms);
        Assert.Equal(SecurityLexicon.Default.Count + 3, lexicon.Count);
    }

    [Fact]
    public void LabelParsing_NeedsAStructuredVerdict()
    {
        Assert.True(RelevanceLabeler.Parse("a", "Sure! {\"relevant\": true, \"reason\": \"describes ransomware\"}").Relevant);
        Assert.False(RelevanceLabeler.Parse("b", "{\"relevant\": false, \"reason\": \"football\"}").Relevant);
        Assert.Null(RelevanceLabeler.Parse("c", "It is about security, I think.").Relevant);
        Assert.Null(RelevanceLabeler.Parse("d", "{\"relevant\": \"maybe\"}").Relevant);
    }
}

public sealed class LanguageFastPathTests
{
    [Theory]
    [InlineData("en", "The attackers used a stolen account to log in to the VPN, and from there they moved to the file servers that held the customer records. It is not clear how long they were in the network, but the company has said that it will notify everyone whose data was taken.")]
    [InlineData("de", "Die Angreifer haben sich mit einem gestohlenen Konto am VPN angemeldet und sind von dort auf die Dateiserver gelangt, auf denen die Kundendaten lagen. Es ist noch nicht klar, wie lange sie im Netz waren, aber das Unternehmen hat angekündigt, alle Betroffenen zu informieren.")]
    [InlineData("fr", "Les attaquants ont utilisé un compte volé pour se connecter au VPN, puis ils sont passés aux serveurs de fichiers qui contenaient les données des clients. On ne sait pas encore combien de temps ils sont restés dans le réseau, mais la société a dit qu'elle informera toutes les personnes concernées.")]
    [InlineData("es", "Los atacantes usaron una cuenta robada para entrar en la VPN y desde allí pasaron a los servidores de archivos que guardaban los datos de los clientes. No está claro cuánto tiempo estuvieron en la red, pero la empresa ha dicho que informará a todas las personas afectadas por el robo.")]
    [InlineData("it", "Gli aggressori hanno usato un account rubato per accedere alla VPN e da lì sono passati ai server che contenevano i dati dei clienti. Non è ancora chiaro per quanto tempo siano rimasti nella rete, ma la società ha detto che informerà tutte le persone coinvolte nella violazione.")]
    [InlineData("pt", "Os atacantes usaram uma conta roubada para entrar na VPN e de lá passaram para os servidores de arquivos que guardavam os dados dos clientes. Não está claro quanto tempo ficaram na rede, mas a empresa disse que vai informar todas as pessoas afetadas pelo ataque ao seu sistema.")]
    [InlineData("nl", "De aanvallers gebruikten een gestolen account om in te loggen op de VPN en van daaruit zijn ze naar de bestandsservers gegaan waar de klantgegevens op stonden. Het is niet duidelijk hoe lang ze in het netwerk waren, maar het bedrijf heeft gezegd dat het alle betrokkenen zal informeren.")]
    public void FunctionWords_NameTheLanguage_AsTheDetectorDoes(string language, string text)
    {
        var prose = LanguageFilter.ProseOf(text);
        Assert.Equal(language, LanguageFilter.ByFunctionWords(prose));
        Assert.Equal(language, new LanguageFilter(["en"]).Statistical(prose).Language);
    }

    [Fact]
    public void FunctionWords_AbstainOnShortOrMixedText()
    {
        Assert.Null(LanguageFilter.ByFunctionWords("the attack on the server"));
        var mixed = "The attackers used the VPN and the servers. Die Angreifer nutzten das VPN und die Server. " +
                    "The attackers used the VPN and the servers. Die Angreifer nutzten das VPN und die Server.";
        Assert.Null(LanguageFilter.ByFunctionWords(LanguageFilter.ProseOf(mixed)));
    }

    [Fact]
    public void FastPath_AgreesWithTheDetector_OnRealPages()
    {
        var folder = RepositoryPaths.SharedDataFolder("extraction-dev");
        Assert.SkipWhen(folder is null, "../shared/data/extraction-dev is absent: no real multilingual pages to compare on");
        var extractor = new SecForge.Curation.Extraction.HtmlExtractor();
        var filter = new LanguageFilter(["en"]);
        int decided = 0, agreed = 0, total = 0;
        var disagreements = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder!, "html")).Order(StringComparer.Ordinal))
        {
            var text = extractor.Extract(SecForge.Curation.Extraction.HtmlDecoder.Decode(File.ReadAllBytes(file)).Text).Text;
            var prose = LanguageFilter.ProseOf(text);
            if (prose.Count(char.IsLetter) < 40)
            {
                continue;
            }

            total++;
            if (LanguageFilter.ByFunctionWords(prose) is not { } quick)
            {
                continue;
            }

            decided++;
            var (detected, confidence) = filter.Statistical(prose);
            if (detected == quick || confidence < 0.5)
            {
                agreed++;
            }
            else
            {
                disagreements.Add($"{Path.GetFileName(file)}: {quick} vs {detected}");
            }
        }

        TestContext.Current.SendDiagnosticMessage($"fast path decided {decided} of {total} pages; agreed with Lingua on {agreed}: {string.Join("; ", disagreements)}");
        Assert.True(decided >= total * 0.8, $"fast path decided only {decided} of {total}");
        Assert.True(agreed >= decided * 0.99, string.Join("; ", disagreements));
    }
}
