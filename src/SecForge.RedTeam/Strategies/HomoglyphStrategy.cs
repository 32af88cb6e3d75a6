using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Strategies;

/// <summary>Latin letters swapped for Cyrillic look-alikes, which keyword filters miss and people do not notice.</summary>
public sealed class HomoglyphStrategy : AttackStrategy
{
    public override string Name => "homoglyph";

    public override string Description => "Latin letters replaced by Cyrillic look-alikes (а, е, о, р, с, х, у, і)";

    public override Attack Apply(Attack plain, Random random) => WithLastTurn(plain, Swap(plain.Turns[^1]));

    public static string Swap(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] switch
            {
                'a' => 'а', 'e' => 'е', 'o' => 'о', 'p' => 'р', 'c' => 'с', 'x' => 'х', 'y' => 'у', 'i' => 'і',
                'A' => 'А', 'E' => 'Е', 'O' => 'О', 'P' => 'Р', 'C' => 'С', 'X' => 'Х', 'H' => 'Н', 'K' => 'К', 'M' => 'М', 'T' => 'Т',
                var c => c,
            };
        }
    });
}
