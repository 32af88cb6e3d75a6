using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecForge.Core.Json;

/// <summary>
/// The name an enum value has in SecForge's JSON files (its <see cref="JsonStringEnumMemberNameAttribute"/>, else
/// its snake_case name), so tables, reports and parsers use the same word as the files.
/// </summary>
public static class JsonEnumName
{
    /// <summary>The value's name as written to JSON.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Cache<T>.Names[value];

    /// <summary>Reads a name written by <see cref="Of{T}"/> (case-insensitive).</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum => Cache<T>.Values.TryGetValue((text ?? string.Empty).Trim(), out value);

    private static class Cache<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(
            value => value,
            value => typeof(T).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

        public static readonly Dictionary<string, T> Values = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);
    }
}
