using System.Globalization;
using System.Text;

namespace SecForge.Evaluation.Data;

/// <summary>
/// Parses the Python literals some benchmarks store as strings (SEvenLLM writes its multiple-choice questions as
/// <c>str(dict)</c>): dicts, lists, tuples, single- or double-quoted strings with escapes, numbers, True/False/None.
/// Dicts become <see cref="Dictionary{TKey,TValue}"/> of string keys, lists <see cref="List{T}"/>.
/// </summary>
public static class PythonLiteral
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the offset on bad input.</summary>
    public static object? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var value = ParseValue(text, ref position);
        SkipSpace(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException($"unexpected '{text[position]}' at offset {position}");
        }

        return value;
    }

    private static object? ParseValue(string text, ref int position)
    {
        SkipSpace(text, ref position);
        if (position >= text.Length)
        {
            throw new FormatException("unexpected end of text");
        }

        var c = text[position];
        switch (c)
        {
            case '{':
                return ParseDict(text, ref position);
            case '[':
                return ParseSequence(text, ref position, ']');
            case '(':
                return ParseSequence(text, ref position, ')');
            case '\'' or '"':
                return ParseString(text, ref position);
        }

        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '.' or '-' or '+' or '_'))
        {
            position++;
        }

        var token = text[start..position];
        return token switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ when long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => integer,
            _ when double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => throw new FormatException($"unexpected '{(token.Length > 0 ? token : c.ToString())}' at offset {start}"),
        };
    }

    private static Dictionary<string, object?> ParseDict(string text, ref int position)
    {
        position++;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == '}')
            {
                position++;
                return result;
            }

            var key = ParseValue(text, ref position);
            SkipSpace(text, ref position);
            Expect(text, ref position, ':');
            result[Convert.ToString(key, CultureInfo.InvariantCulture) ?? "None"] = ParseValue(text, ref position);
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
            }
            else if (position >= text.Length || text[position] != '}')
            {
                throw new FormatException($"expected ',' or '}}' at offset {position}");
            }
        }
    }

    private static List<object?> ParseSequence(string text, ref int position, char close)
    {
        position++;
        var result = new List<object?>();
        while (true)
        {
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == close)
            {
                position++;
                return result;
            }

            result.Add(ParseValue(text, ref position));
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
            }
            else if (position >= text.Length || text[position] != close)
            {
                throw new FormatException($"expected ',' or '{close}' at offset {position}");
            }
        }
    }

    private static string ParseString(string text, ref int position)
    {
        var quote = text[position++];
        var builder = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == quote)
            {
                return builder.ToString();
            }

            if (c != '\\' || position >= text.Length)
            {
                builder.Append(c);
                continue;
            }

            var escaped = text[position++];
            switch (escaped)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case '\\': builder.Append('\\'); break;
                case '\'': builder.Append('\''); break;
                case '"': builder.Append('"'); break;
                case 'x' when position + 2 <= text.Length:
                    builder.Append((char)int.Parse(text.AsSpan(position, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 2;
                    break;
                case 'u' when position + 4 <= text.Length:
                    builder.Append((char)int.Parse(text.AsSpan(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default: builder.Append('\\').Append(escaped); break;
            }
        }

        throw new FormatException("unterminated string");
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"expected '{expected}' at offset {position}");
        }

        position++;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
