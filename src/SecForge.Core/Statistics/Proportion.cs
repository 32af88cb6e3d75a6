namespace SecForge.Core.Statistics;

/// <summary>A share with its Wilson 95% score interval (sound for small counts and for shares of 0 or 1).</summary>
public static class Proportion
{
    public static (double? Value, double? Low, double? High) Of(int successes, int trials)
    {
        if (trials == 0)
        {
            return (null, null, null);
        }

        const double Z = 1.959964;
        var p = (double)successes / trials;
        var denominator = 1 + (Z * Z / trials);
        var centre = (p + (Z * Z / (2 * trials))) / denominator;
        var half = Z * Math.Sqrt((p * (1 - p) / trials) + (Z * Z / (4.0 * trials * trials))) / denominator;
        return (Math.Round(p, 6), Math.Round(Math.Max(0, centre - half), 6), Math.Round(Math.Min(1, centre + half), 6));
    }
}
