using SecForge.RedTeam.Plugins;

namespace SecForge.RedTeam.Strategies;

/// <summary>
/// How an attack is delivered: a transformation of the plain attack (its last user turn, or the whole
/// conversation). Static strategies change the attack when the set is generated, so a file replays exactly;
/// dynamic ones (crescendo with an attacker model, PAIR) write turns during the run.
/// </summary>
public abstract class AttackStrategy
{
    public abstract string Name { get; }

    /// <summary>One line for --help and reports.</summary>
    public abstract string Description { get; }

    /// <summary>"crescendo" or "pair" when turns are written during the run by an attacker model.</summary>
    public virtual DynamicStrategy? Dynamic => null;

    /// <summary>The attack delivered this way; <paramref name="random"/> is seeded per attack.</summary>
    public abstract Attack Apply(Attack plain, Random random);

    /// <summary>Replaces the last user turn.</summary>
    protected static Attack WithLastTurn(Attack attack, string text) =>
        attack with { Turns = [.. attack.Turns.Take(attack.Turns.Count - 1), text] };
}
