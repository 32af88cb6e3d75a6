using System.Text;
using Spectre.Console;

namespace SecForge.Cli.Console;

/// <summary>Prints a table: Spectre.Console borders on a terminal, plain aligned columns elsewhere.</summary>
internal static class TableOutput
{
    /// <summary>Writes the table to <see cref="CliContext.Output"/>.</summary>
    public static void Write(CliContext context, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, string? title = null)
    {
        var list = rows.ToList();
        if (context.Interactive)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
            var table = new Table().Border(TableBorder.Rounded);
            if (title is not null)
            {
                table.Title = new TableTitle(Markup.Escape(title));
            }

            foreach (var column in columns)
            {
                table.AddColumn(Markup.Escape(column));
            }

            foreach (var row in list)
            {
                table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
            }

            console.Write(table);
            return;
        }

        context.Output.Write(Plain(columns, list, title));
    }

    /// <summary>The table as plain text with aligned columns.</summary>
    public static string Plain(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, string? title = null)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Length, rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        if (title is not null)
        {
            text.Append(title).Append('\n');
        }

        AppendRow(text, columns, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToList(), widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : string.Empty;
            text.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}
