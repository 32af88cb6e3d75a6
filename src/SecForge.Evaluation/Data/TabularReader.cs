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

    /// <summary>
    /// Stands in for bytes that are not UTF-8 (a noncharacter, never in real text), so the row holding them can be
    /// skipped with its line instead of the file being refused.
    /// </summary>
    public const char InvalidByte = '\uFDD0';

    /// <summary>Reads every row of <paramref name="path"/>, header included; a byte-order mark is dropped.</summary>
    public static List<Row> ReadAll(string path, char delimiter)
    {
        var encoding = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(InvalidByte.ToString()));
        return Parse(File.ReadAllText(path, encoding), delimiter);
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
    /// Reads a file with a header row and returns its records as column → value maps; a missing required column is
    /// an <see cref="InputException"/> naming the file and column (the file is not the format). A short row keeps
    /// the values it has: reading its missing column fails for that row only.
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

            records.Add(new TableRecord(path, row.Line, values, row.Fields.Count < header.Length ? $"the row has {row.Fields.Count} fields, fewer than the header's {header.Length}" : null));
        }

        return records;
    }
}

/// <summary>One record of a table file, with where it came from.</summary>
/// <param name="Short">Why the row has fewer fields than the header, when it has.</param>
public sealed record TableRecord(string Path, int Line, IReadOnlyDictionary<string, string> Values, string? Short = null)
{
    /// <summary>Where the record is, as "file:line".</summary>
    public string Source => $"{System.IO.Path.GetFileName(Path)}:{Line}";

    /// <summary>The value of <paramref name="column"/>, trimmed; a missing, empty or undecodable value names the file, line and column.</summary>
    public string Required(string column)
    {
        if (!Values.TryGetValue(column, out var value))
        {
            throw new InputException(Short is null ? "missing" : $"missing ({Short})", Path, Line, column);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InputException("empty", Path, Line, column);
        }

        return Checked(value, column).Trim();
    }

    /// <summary>The value of <paramref name="column"/>, or null; undecodable bytes name the file, line and column.</summary>
    public string? Optional(string column) => Values.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? Checked(value, column).Trim() : null;

    /// <summary>The value of <paramref name="column"/> as it is (possibly empty), or null when the row has no such field.</summary>
    public string? Raw(string column) => Values.TryGetValue(column, out var value) ? Checked(value, column).Trim() : null;

    private string Checked(string value, string column) =>
        value.Contains(TabularReader.InvalidByte, StringComparison.Ordinal) ? throw new InputException("not valid UTF-8", Path, Line, column) : value;
}
