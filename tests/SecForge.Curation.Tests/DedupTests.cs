using SecForge.Core.Randomness;
using SecForge.Curation.Dedup;
using SecForge.Curation.Pipeline;

namespace SecForge.Curation.Tests;

public sealed class DedupTests
{
    private static readonly string[] Vocabulary = BuildVocabulary();

    private static string[] BuildVocabulary()
    {
        var random = new SplitMix64(99);
        return Enumerable.Range(0, 5000).Select(_ => new string(Enumerable.Range(0, 3 + random.NextInt(7)).Select(_ => (char)('a' + random.NextInt(26))).ToArray())).Distinct().ToArray();
    }

    private static List<string> RandomWords(SplitMix64 random, int count) => Enumerable.Range(0, count).Select(_ => Vocabulary[random.NextInt(Vocabulary.Length)]).ToList();

    /// <summary>A copy with about <paramref name="fraction"/> of its words replaced: word 5-gram Jaccard ≥ 0.8 for small fractions.</summary>
    private static List<string> Perturb(SplitMix64 random, List<string> words, double fraction)
    {
        var copy = new List<string>(words);
        var changes = (int)(words.Count * fraction);
        for (var i = 0; i < changes; i++)
        {
            copy[random.NextInt(copy.Count)] = Vocabulary[random.NextInt(Vocabulary.Length)];
        }

        return copy;
    }

    private static double Jaccard(List<string> a, List<string> b)
    {
        static HashSet<string> Grams(List<string> w) => Enumerable.Range(0, w.Count - 4).Select(i => string.Join(' ', w.Skip(i).Take(5))).ToHashSet();
        var x = Grams(a);
        var y = Grams(b);
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    [Fact]
    public void PlantedDuplicates_AreRemoved_AndDistinctDocumentsKept()
    {
        var random = new SplitMix64(7);
        var minHasher = new MinHasher(5, 14, 8, seed: 1);
        var deduplicator = new CorpusDeduplicator(new DedupConfig { Paragraphs = { Enabled = false } }, minChars: 10);
        var distinct = Enumerable.Range(0, 400).Select(_ => RandomWords(random, 300)).ToList();
        var documents = new List<(string Text, string Kind)>();
        documents.AddRange(distinct.Select(d => (string.Join(' ', d), "distinct")));
        var nearCopies = new List<(List<string> Original, List<string> Copy)>();
        for (var i = 0; i < 100; i++)
        {
            documents.Add((string.Join(' ', distinct[i]), "exact"));
            var copy = Perturb(random, distinct[i + 100], 0.015);
            nearCopies.Add((distinct[i + 100], copy));
            documents.Add((string.Join(' ', copy), "near"));
        }

        Assert.All(nearCopies, pair => Assert.True(Jaccard(pair.Original, pair.Copy) >= 0.8));

        var removed = new Dictionary<string, int> { ["distinct"] = 0, ["exact"] = 0, ["near"] = 0 };
        foreach (var (text, kind) in documents)
        {
            var copy = text;
            var reason = deduplicator.Check(TextShingles.DocumentHash(text), null, minHasher.BandHashes(minHasher.Signature(text)), ref copy);
            if (reason is not null)
            {
                removed[kind]++;
            }
        }

        Assert.Equal(100, removed["exact"]);
        Assert.True(removed["near"] >= 90, $"{removed["near"]} of 100 near duplicates removed");
        Assert.True(removed["distinct"] < 4, $"{removed["distinct"]} of 400 distinct documents removed");
    }

    [Fact]
    public void MinHash_EstimatesJaccardSimilarity()
    {
        var random = new SplitMix64(3);
        var hasher = new MinHasher(5, 14, 8, seed: 1);
        var original = RandomWords(random, 2000);
        foreach (var fraction in new[] { 0.01, 0.05, 0.2 })
        {
            var copy = Perturb(random, original, fraction);
            var estimate = MinHasher.EstimateSimilarity(hasher.Signature(string.Join(' ', original)), hasher.Signature(string.Join(' ', copy)));
            Assert.InRange(estimate, Jaccard(original, copy) - 0.12, Jaccard(original, copy) + 0.12);
        }
    }

    [Fact]
    public void MinHash_IsSeeded()
    {
        var text = "the operators moved laterally with stolen credentials and deployed ransomware across the domain";
        Assert.Equal(new MinHasher(seed: 1).Signature(text), new MinHasher(seed: 1).Signature(text));
        Assert.NotEqual(new MinHasher(seed: 1).Signature(text), new MinHasher(seed: 2).Signature(text));
    }

    [Fact]
    public void BoilerplateParagraphs_AreRemovedAcrossDocuments()
    {
        var deduplicator = new CorpusDeduplicator(new DedupConfig { Minhash = { Enabled = false } }, minChars: 20);
        const string footer = "Subscribe to our weekly threat intelligence briefing for the latest research delivered straight to your inbox.";
        var first = $"## Advisory one\n\nThe gateway flaw allows remote code execution through the upload handler.\n\n{footer}";
        var second = $"## Advisory two\n\nA path traversal in the backup agent exposes configuration files to attackers.\n\n{footer}";

        Assert.Null(deduplicator.Check(1, null, null, ref first));
        Assert.Null(deduplicator.Check(2, null, null, ref second));

        Assert.Contains(footer, first, StringComparison.Ordinal);
        Assert.DoesNotContain(footer, second, StringComparison.Ordinal);
        Assert.StartsWith("## Advisory two", second, StringComparison.Ordinal);
        Assert.Equal(1, deduplicator.ParagraphsRemoved);
    }

    [Fact]
    public void ADocumentThatIsMostlyDuplicateParagraphs_IsDropped()
    {
        var deduplicator = new CorpusDeduplicator(new DedupConfig { Minhash = { Enabled = false } }, minChars: 20);
        var shared = string.Join("\n\n", Enumerable.Range(0, 5).Select(i => $"Shared paragraph number {i} about patching routers before attackers scan for them."));
        var first = shared + "\n\nUnique ending of the first page with its own analysis.";
        var second = shared + "\n\nA short unique line.";

        Assert.Null(deduplicator.Check(1, null, null, ref first));
        Assert.Equal("dedup:paragraphs", deduplicator.Check(2, null, null, ref second));
    }

    [Fact]
    public void Urls_AreComparedInTheirUsualForm()
    {
        var deduplicator = new CorpusDeduplicator(new DedupConfig { Minhash = { Enabled = false }, Paragraphs = { Enabled = false } }, minChars: 1);
        var a = "text one";
        var b = "text two";
        Assert.Null(deduplicator.Check(1, "https://Example.com/Advisory/", null, ref a));
        Assert.Equal("dedup:url", deduplicator.Check(2, "https://example.com/Advisory#top", null, ref b));
    }

    [Fact]
    public void Decontamination_DropsDocumentsQuotingABenchmark()
    {
        using var directory = new SecForge.Testing.TempDirectory();
        var benchmark = directory.File("bench.jsonl");
        File.WriteAllText(benchmark, "{\"question\": \"Which attack technique abuses the Windows scheduled task service to maintain persistence after a reboot on a compromised host?\", \"answers\": [\"T1053.005\"]}\n");
        var decontaminator = new Decontaminator([benchmark], ngram: 13);

        Assert.True(decontaminator.IsContaminated("Study notes: Which attack technique abuses the Windows scheduled task service to maintain persistence after a reboot on a compromised host? The answer is T1053.005."));
        Assert.False(decontaminator.IsContaminated("Scheduled tasks are a common persistence mechanism; defenders should monitor their creation."));
    }

    [Fact]
    public void BloomFilter_HasNoFalseNegatives_AndReportsItsRate()
    {
        var filter = new BloomFilter(1 << 16);
        for (ulong i = 0; i < 10_000; i++)
        {
            filter.Add(SplitMix64.Mix(i));
        }

        for (ulong i = 0; i < 10_000; i++)
        {
            Assert.True(filter.MightContain(SplitMix64.Mix(i)));
        }

        var falsePositives = Enumerable.Range(10_000, 10_000).Count(i => filter.MightContain(SplitMix64.Mix((ulong)i)));
        Assert.InRange(falsePositives / 10_000.0, 0, (filter.FalsePositiveRate * 3) + 0.001);
    }
}
