using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SecForge.Benchmarks;

/// <summary>
/// Work done by one invocation of a benchmark (pages, records, bytes, tokens), registered in its setup, so the
/// summary shows throughput (pages/s, MB/s ...) next to BenchmarkDotNet's mean time.
/// </summary>
public static class Throughput
{
    private static readonly ConcurrentDictionary<string, (double Amount, string Unit)> Work = new(StringComparer.Ordinal);

    /// <summary>Registers that one call of <paramref name="method"/> does <paramref name="amount"/> <paramref name="unit"/>.</summary>
    public static void Register(string method, double amount, string unit) => Work[method] = (amount, unit);

    internal static bool TryGet(string method, out (double Amount, string Unit) work) => Work.TryGetValue(method, out work);
}

/// <summary>The throughput column: registered work divided by the mean time of one call.</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "Throughput";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Work per second of one call (registered by the benchmark), at the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (report?.ResultStatistics is not { } statistics || !Throughput.TryGet(method, out var work))
        {
            return "-";
        }

        // Mean is per operation; an invocation may declare OperationsPerInvoke, which the mean already divides by.
        var seconds = statistics.Mean * benchmarkCase.Descriptor.OperationsPerInvoke / 1e9;
        var rate = work.Amount / seconds;
        return rate >= 1e6
            ? string.Create(CultureInfo.InvariantCulture, $"{rate / 1e6:0.00} M{work.Unit}/s")
            : string.Create(CultureInfo.InvariantCulture, $"{rate:0.0} {work.Unit}/s");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
