using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Strategies;

/// <summary>
/// PAIR (Chao et al.): an attacker model proposes a prompt, the target answers, a judge scores the answer, and
/// the attacker refines its prompt from the feedback, for a few rounds. Needs --attacker during the run.
/// </summary>
public sealed class PairStrategy : AttackStrategy
{
    public override string Name => "pair";

    public override string Description => "attacker-judge refinement (PAIR): the attacker model rewrites the prompt from the target's replies (needs --attacker)";

    public override DynamicStrategy? Dynamic => DynamicStrategy.Pair;

    public override Attack Apply(Attack plain, Random random) => plain with { Dynamic = Dynamic };
}
