using SecForge.Core.Json;

namespace SecForge.Alignment.Running;

/// <summary>Names of the <see cref="AlignAction"/> values, in report order.</summary>
public static class AlignActions
{
    public static IReadOnlyList<AlignAction> All { get; } = Enum.GetValues<AlignAction>();

    public static string Name(AlignAction action) => JsonEnumName.Of(action);
}
