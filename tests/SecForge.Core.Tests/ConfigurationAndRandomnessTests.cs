using SecForge.Core.Configuration;
using SecForge.Core.Errors;
using SecForge.Core.Hashing;
using SecForge.Core.Randomness;

namespace SecForge.Core.Tests;

public sealed class ConfigurationAndRandomnessTests
{
    private sealed class Settings
    {
        public int MaxTokens { get; set; }

        public List<string> Tasks { get; set; } = [];
    }

    [Fact]
    public void Yaml_ReadsSnakeCaseKeys()
    {
        var settings = YamlFile.Parse<Settings>("max_tokens: 12\ntasks: [ctibench-mcq, cybermetric-500]\n", "x.yaml");
        Assert.Equal(12, settings.MaxTokens);
        Assert.Equal(["ctibench-mcq", "cybermetric-500"], settings.Tasks);
    }

    [Fact]
    public void Yaml_ErrorsNameTheFileAndLine()
    {
        var exception = Assert.Throws<InputException>(() => YamlFile.Parse<Settings>("tasks: []\nmax_tokens: lots\n", "run.yaml"));
        Assert.Equal("run.yaml", exception.Path);
        Assert.Equal(2, exception.Record);
        Assert.StartsWith("run.yaml:2: invalid YAML", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitMix64_HasAFixedSequence()
    {
        var random = new SplitMix64(42);
        Assert.Equal(0xBDD732262FEB6E95UL, random.NextUInt64());
        Assert.Equal(0x28EFE333B266F103UL, random.NextUInt64());
    }

    [Fact]
    public void Shuffle_IsAPermutationDeterminedByTheSeed()
    {
        var a = Enumerable.Range(0, 50).ToList();
        var b = Enumerable.Range(0, 50).ToList();
        new SplitMix64(7).Shuffle(a);
        new SplitMix64(7).Shuffle(b);
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 50), a);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
    }

    [Fact]
    public void Sha256_MatchesTheKnownDigest()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Sha256Hex("abc"));
        Assert.Equal(ContentHash.Sha256Hex(new string('x', 10_000)), ContentHash.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(new string('x', 10_000))));
    }
}
