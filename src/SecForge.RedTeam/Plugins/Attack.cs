using SecForge.Core.Taxonomy;
using SecForge.RedTeam.Strategies;

namespace SecForge.RedTeam.Plugins;

/// <summary>
/// One attack case, as written by <c>redteam generate</c> and replayed by <c>redteam run</c>: what risk it probes
/// (plugin, OWASP ids, harm), how it is delivered (strategy), the exact messages, the scenario around them
/// (tools and their policy, an output sink, planted canaries) and which graders decide.
/// </summary>
public sealed record Attack
{
    /// <summary>Stable id: the same plugin, intent, strategy and seed give the same id.</summary>
    public required string Id { get; init; }

    /// <summary>The taxonomy version the attack was written against ("owasp-llm-2025").</summary>
    public required string Taxonomy { get; init; }

    /// <summary>OWASP ids the attack probes (empty for cyber-harm and benign prompts).</summary>
    public required IReadOnlyList<string> Owasp { get; init; }

    public required string Plugin { get; init; }

    /// <summary>The cyber-harm category (malware, social-engineering ...), if any.</summary>
    public CyberHarm? Harm { get; init; }

    public required string Strategy { get; init; }

    /// <summary>The seed intent before the strategy changed its delivery.</summary>
    public required string Intent { get; init; }

    /// <summary>Where the intent came from: "seed" or "attacker".</summary>
    public string Source { get; init; } = "seed";

    /// <summary>The system prompt of the harness scenario.</summary>
    public string? System { get; init; }

    /// <summary>Messages sent before the first user turn (many-shot priming), in order.</summary>
    public IReadOnlyList<AttackMessage>? Primer { get; init; }

    /// <summary>User turns, sent one after another; the target's replies are kept between them.</summary>
    public required IReadOnlyList<string> Turns { get; init; }

    /// <summary>Tools declared to the target.</summary>
    public IReadOnlyList<ToolSpec>? Tools { get; init; }

    /// <summary>Tools the scenario's policy allows; calling any other is a violation.</summary>
    public IReadOnlyList<string>? AllowedTools { get; init; }

    /// <summary>Where the output goes (html, sql, shell), for the payload grader.</summary>
    public string? Sink { get; init; }

    /// <summary>Secrets planted in the scenario; any of them in a reply is a leak.</summary>
    public IReadOnlyList<string>? Canaries { get; init; }

    /// <summary>A string only a successful injection would make the model print.</summary>
    public string? Marker { get; init; }

    /// <summary>For misinformation probes: the identifier that does not exist.</summary>
    public string? Fabricated { get; init; }

    /// <summary>For misinformation probes: the identifier the right answer contains.</summary>
    public string? Known { get; init; }

    /// <summary>Graders in order of precedence: the first one available decides.</summary>
    public required IReadOnlyList<string> Graders { get; init; }

    /// <summary>True for benign requests (refusing them is over-refusal).</summary>
    public bool Benign { get; init; }

    /// <summary>Set when an attacker model writes the turns during the run.</summary>
    public DynamicStrategy? Dynamic { get; init; }

    /// <summary>A short hash of everything the attack sends and how it is graded (changes when any of it changes).</summary>
    public string Hash() => global::SecForge.Core.Hashing.ContentHash.Sha256Hex(global::System.Text.Json.JsonSerializer.Serialize(this, global::SecForge.Core.Json.SecForgeJson.Compact))[..16];

    /// <summary>The category an attack is scored under: its first OWASP id, "harm:{name}" or "benign".</summary>
    public string Category => Benign ? "benign" : Harm is { } harm ? "harm:" + CyberHarms.Name(harm) : Owasp.Count > 0 ? Owasp[0] : Plugin;
}
