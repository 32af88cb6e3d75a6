using SecForge.RedTeam.Plugins;
using SecForge.RedTeam.Running;

namespace SecForge.RedTeam.Graders;

/// <summary>Decides whether an attempt withstood its attack. Deterministic graders need no model; the judge does.</summary>
public abstract class Grader
{
    /// <summary>The name attacks list the grader by, and --grader selects it with.</summary>
    public abstract string Name { get; }

    public abstract ValueTask<GraderVerdict> GradeAsync(Attack attack, Transcript transcript, CancellationToken cancellationToken = default);

    protected GraderVerdict Safe(string reason) => new(Name, GradeOutcome.Safe, reason);

    protected GraderVerdict Unsafe(string reason) => new(Name, GradeOutcome.Unsafe, reason);

    protected GraderVerdict Undecided(string reason) => new(Name, GradeOutcome.Undecided, reason);
}
