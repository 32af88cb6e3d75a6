using Microsoft.Extensions.AI;

namespace SecForge.Models;

/// <summary>
/// SecForge's request settings that <see cref="ChatOptions"/> has no property for, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> so every layer (cache key, backends) sees them.
/// Backends translate them to their wire format; they are never sent as-is.
/// </summary>
public static class ChatOptionsExtensions
{
    /// <summary>The key of the trial number.</summary>
    public const string TrialKey = "secforge.trial";

    /// <summary>The key of the log-probability request (the number of alternatives per token).</summary>
    public const string LogProbabilitiesKey = "secforge.logprobs";

    /// <summary>Marks the request as trial <paramref name="trial"/> of a repeated measurement.</summary>
    public static ChatOptions WithTrial(this ChatOptions options, int trial)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[TrialKey] = trial;
        return options;
    }

    /// <summary>The trial number, if set.</summary>
    public static int? GetTrial(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TrialKey, out var value) == true ? ToInt(value) : null;

    /// <summary>Asks for the log-probability of each generated token and <paramref name="top"/> alternatives.</summary>
    public static ChatOptions WithLogProbabilities(this ChatOptions options, int top = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        (options.AdditionalProperties ??= [])[LogProbabilitiesKey] = top;
        return options;
    }

    /// <summary>Whether log-probabilities were asked for, and how many alternatives.</summary>
    public static bool TryGetLogProbabilityRequest(this ChatOptions? options, out int top)
    {
        top = 0;
        if (options?.AdditionalProperties?.TryGetValue(LogProbabilitiesKey, out var value) == true)
        {
            top = ToInt(value) ?? 0;
            return true;
        }

        return false;
    }

    /// <summary>A copy of <paramref name="options"/> without SecForge's keys, for sending to a server.</summary>
    public static ChatOptions? WithoutSecForgeKeys(this ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties ||
            (!properties.ContainsKey(TrialKey) && !properties.ContainsKey(LogProbabilitiesKey)))
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(properties);
        copy.AdditionalProperties.Remove(TrialKey);
        copy.AdditionalProperties.Remove(LogProbabilitiesKey);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return copy;
    }

    private static int? ToInt(object? value) => value switch
    {
        int i => i,
        long l => (int)l,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetInt32(),
        string s when int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
