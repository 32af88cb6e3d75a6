using System.Globalization;

namespace SecForge.Core.IO;

/// <summary>Sizes for people: "512 KiB", "1 MiB", "1.5 GiB" (never "0 MiB" for half a megabyte).</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>The size in the largest binary unit it is at least one of, with up to one decimal.</summary>
    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }
}
