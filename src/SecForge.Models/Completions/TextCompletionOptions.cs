namespace SecForge.Models.Completions;

/// <summary>Options of one raw completion or log-likelihood request; unset values take the model's defaults.</summary>
public sealed record TextCompletionOptions
{
    /// <summary>Most tokens to generate.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Sampling temperature; 0 is greedy.</summary>
    public float? Temperature { get; init; }

    /// <summary>Nucleus sampling mass.</summary>
    public float? TopP { get; init; }

    /// <summary>Sampling seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Strings that end generation; not included in the text.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>Return the log-probability of each generated token.</summary>
    public bool IncludeLogProbabilities { get; init; }

    /// <summary>How many alternatives to return per generated token (0 = none).</summary>
    public int TopLogProbabilities { get; init; }

    /// <summary>
    /// The trial number of a repeated request; part of the cache key so repeated trials at temperature above 0
    /// are distinct, and mixed into the seed by in-process backends.
    /// </summary>
    public int? Trial { get; init; }
}
