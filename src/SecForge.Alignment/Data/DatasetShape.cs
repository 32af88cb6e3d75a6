using Parquet.Schema;

namespace SecForge.Alignment.Data;

/// <summary>What a writer needs to reproduce the input's layout: the container, CSV columns, the Parquet schema.</summary>
public sealed class DatasetShape
{
    public required DatasetContainer Container { get; init; }

    /// <summary>CSV header, in file order.</summary>
    public IReadOnlyList<string>? CsvColumns { get; set; }

    /// <summary>The Parquet file's schema, written back unchanged.</summary>
    public ParquetSchema? ParquetSchema { get; set; }
}
