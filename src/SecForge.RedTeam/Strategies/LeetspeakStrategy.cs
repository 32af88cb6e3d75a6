using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Strategies;

/// <summary>The request in leetspeak, which keyword filters miss.</summary>
public sealed class LeetspeakStrategy : AttackStrategy
{
    public override string Name => "leetspeak";

    public override string Description => "the request in leetspeak (a→4, e→3, i→1, o→0, s→5, t→7)";

    public override Attack Apply(Attack plain, Random random) => WithLastTurn(plain, Leet(plain.Turns[^1]));

    public static string Leet(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.ToLowerInvariant(source[i]) switch { 'a' => '4', 'e' => '3', 'i' => '1', 'o' => '0', 's' => '5', 't' => '7', _ => source[i] };
        }
    });
}
