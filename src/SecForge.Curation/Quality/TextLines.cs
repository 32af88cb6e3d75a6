namespace SecForge.Curation.Quality;

/// <summary>The kind of a line of extracted Markdown, so quality rules can judge prose and leave code, tables and lists alone.</summary>
internal enum LineKind
{
    Blank,
    Prose,
    Heading,
    ListItem,
    TableRow,
    Code,
}

/// <summary>A document split into classified lines.</summary>
internal sealed class TextLines
{
    private TextLines(string[] lines, LineKind[] kinds)
    {
        Lines = lines;
        Kinds = kinds;
    }

    public string[] Lines { get; }

    public LineKind[] Kinds { get; }

    public static TextLines Of(string text)
    {
        var lines = text.Split('\n');
        var kinds = new LineKind[lines.Length];
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            lines[i] = line;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                kinds[i] = LineKind.Code;
                inFence = !inFence;
                continue;
            }

            kinds[i] = inFence ? LineKind.Code
                : trimmed.Length == 0 ? LineKind.Blank
                : trimmed.StartsWith('#') ? LineKind.Heading
                : trimmed.StartsWith('|') ? LineKind.TableRow
                : line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith('\t') ? LineKind.Code
                : IsListItem(trimmed) ? LineKind.ListItem
                : LineKind.Prose;
        }

        return new TextLines(lines, kinds);
    }

    /// <summary>The lines of <paramref name="kind"/>.</summary>
    public IEnumerable<string> OfKind(LineKind kind)
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            if (Kinds[i] == kind)
            {
                yield return Lines[i];
            }
        }
    }

    /// <summary>Prose and list lines: what sentence-level rules judge.</summary>
    public IEnumerable<string> Textual()
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            if (Kinds[i] is LineKind.Prose or LineKind.ListItem)
            {
                yield return Lines[i];
            }
        }
    }

    private static bool IsListItem(string trimmed)
    {
        if (trimmed.Length > 1 && trimmed[0] is '-' or '*' or '+' or '•' && trimmed[1] == ' ')
        {
            return true;
        }

        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }

        return digits > 0 && digits + 1 < trimmed.Length && trimmed[digits] is '.' or ')' && trimmed[digits + 1] == ' ';
    }
}
