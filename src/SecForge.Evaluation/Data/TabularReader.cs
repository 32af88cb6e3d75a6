using System.Text;
using SecForge.Core.Errors;

namespace SecForge.Evaluation.Data;

/// <summary>
/// Reads delimited text (the benchmarks' TSV and CSV files) with RFC 4180 quoting: quoted fields may hold the
/// delimiter, doubled quotes and line breaks. Rows keep the line they start on, so errors can name it.
/// </summary>
public static class TabularReader
{
    /// <summary>A row and the 1-based line it starts on.</summary>
    public sealed record Row(int Line, IReadOnlyList<string> Fields);

    /// <summary>Reads every row of <paramref name="path"/>, header included.</summary>
    public static List<Row> ReadAll(string path, char delimiter)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new InputException("not valid UTF-8", path);
        }

        return Parse(text, delimiter);
    }

    /// <summary>Parses delimited text.</summary>
    public static List<Row> Parse(string text, char delimiter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        var atFieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && atFieldStart)
            {
                quoted = true;
                atFieldStart = false;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (!(fields.Count == 1 && fields[0].Length == 0))
                {
                    rows.Add(new Row(rowLine, fields.ToArray()));
                }

                fields.Clear();
                line++;
                rowLine = line;
                atFieldStart = true;
            }
            else
            {
                field.Append(c);
                atFieldStart = false;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add(new Row(rowLine, fields.ToArray()));
        }

        return rows;
    }

    /// <summary>
    /// Reads a file with a header row and returns its records as column → value maps; a missing required column
    /// or a short row is an <see cref="InputException"/> naming the file, line and column.
    /// </summary>
    public static List<TableRecord> ReadTable(string path, char delimiter, params string[] requiredColumns)
    {
        var rows = ReadAll(path, delimiter);
        if (rows.Count == 0)
        {
            throw new InputException("the file is empty (a header row is expected)", path);
        }

        var header = rows[0].Fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToArray();
        foreach (var column in requiredColumns)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
            {
                throw new InputException($"missing column '{column}' (the header has: {string.Join(", ", header)})", path, 1, column);
            }
        }

        var records = new List<TableRecord>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (i < row.Fields.Count)
                {
                    values[header[i]] = row.Fields[i];
                }
            }

            foreach (var column in requiredColumns)
            {
                if (!values.ContainsKey(column))
                {
                    throw new InputException($"the row has {row.Fields.Count} fields, fewer than the header's {header.Length}; column '{column}' is missing", path, row.Line, column);
                }
            }

            records.Add(new TableRecord(path, row.Line, values));
        }

        return records;
    }
}

/// <summary>One record of a table file, with where it came from.</summary>
public sealed record TableRecord(string Path, int Line, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The value of <paramref name="column"/>, trimmed; a missing or empty value names the file, line and column.</summary>
    public string Required(string column)
    {
        if (!Values.TryGetValue(column, out var value) || string.IsNullOrWhiteSpace(value))
        {
            throw new InputException("missing or empty", Path, Line, column);
        }

        return value.Trim();
    }

    /// <summary>The value of <paramref name="column"/>, or null.</summary>
    public string? Optional(string column) => Values.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
