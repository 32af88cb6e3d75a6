using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Strategies;

/// <summary>The request unchanged.</summary>
public sealed class PlainStrategy : AttackStrategy
{
    public override string Name => "plain";

    public override string Description => "the request as written";

    public override Attack Apply(Attack plain, Random random) => plain;
}
