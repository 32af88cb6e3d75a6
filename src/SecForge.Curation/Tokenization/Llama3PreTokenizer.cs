using System.Globalization;

namespace SecForge.Curation.Tokenization;

/// <summary>
/// Llama 3's pre-tokenizer split, <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>,
/// written as a scanner: the alternatives are tried in order at each position exactly as a backtracking regex
/// engine does, on Unicode code points (as the reference Rust and JavaScript implementations see them), without
/// the cost of a regex engine.
/// </summary>
internal static class Llama3PreTokenizer
{
    /// <summary>Calls <paramref name="onPiece"/> with the start and length of each piece of <paramref name="text"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, PieceHandler onPiece)
    {
        var i = 0;
        while (i < text.Length)
        {
            var length = Match(text, i);
            onPiece(i, length);
            i += length;
        }
    }

    /// <summary>Receives a piece.</summary>
    public delegate void PieceHandler(int start, int length);

    internal static int Match(ReadOnlySpan<char> text, int i)
    {
        var c = Class(text, i, out var width);

        // 1. Contractions.
        if (text[i] == '\'' && i + 1 < text.Length)
        {
            var a = char.ToLowerInvariant(text[i + 1]);
            if (a is 's' or 't' or 'm' or 'd')
            {
                return 2;
            }

            if (i + 2 < text.Length)
            {
                var b = char.ToLowerInvariant(text[i + 2]);
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
                {
                    return 3;
                }
            }
        }

        // 2. An optional non-letter, non-digit, non-newline character, then letters.
        if (c != CharClass.Letter && c != CharClass.Number && text[i] is not ('\r' or '\n') && i + width < text.Length && Class(text, i + width, out _) == CharClass.Letter)
        {
            return width + Run(text, i + width, CharClass.Letter);
        }

        if (c == CharClass.Letter)
        {
            return Run(text, i, CharClass.Letter);
        }

        // 3. One to three digits.
        if (c == CharClass.Number)
        {
            var end = i;
            for (var count = 0; count < 3 && end < text.Length; count++)
            {
                if (Class(text, end, out var w) != CharClass.Number)
                {
                    break;
                }

                end += w;
            }

            return end - i;
        }

        // 4. An optional space, then punctuation and symbols, then newlines.
        if (text[i] == ' ' && i + 1 < text.Length && Class(text, i + 1, out _) == CharClass.Other)
        {
            return PunctuationRun(text, i + 1) - i;
        }

        if (c == CharClass.Other)
        {
            return PunctuationRun(text, i) - i;
        }

        // c is whitespace from here on.
        var runEnd = i;
        var lastNewline = -1;
        while (runEnd < text.Length && char.IsWhiteSpace(text[runEnd]))
        {
            if (text[runEnd] is '\r' or '\n')
            {
                lastNewline = runEnd;
            }

            runEnd++;
        }

        // 5. Whitespace up to and including its last newline.
        if (lastNewline >= 0)
        {
            return lastNewline + 1 - i;
        }

        // 6. Whitespace not followed by a non-space: all of it at the end, else all but its last character.
        if (runEnd == text.Length)
        {
            return runEnd - i;
        }

        if (runEnd - 1 > i)
        {
            return runEnd - 1 - i;
        }

        // 7. A single whitespace character.
        return runEnd - i;
    }

    private static int PunctuationRun(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        while (end < text.Length && Class(text, end, out var w) == CharClass.Other)
        {
            end += w;
        }

        while (end < text.Length && text[end] is '\r' or '\n')
        {
            end++;
        }

        return end;
    }

    private static int Run(ReadOnlySpan<char> text, int start, CharClass kind)
    {
        var end = start;
        while (end < text.Length && Class(text, end, out var w) == kind)
        {
            end += w;
        }

        return end - start;
    }

    private enum CharClass : byte
    {
        Letter,
        Number,
        Space,
        Other,
    }

    private static CharClass Class(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        width = 1;
        if (c < 128)
        {
            return AsciiClasses[c];
        }

        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[index + 1]));
        }
        else
        {
            if (char.IsWhiteSpace(c))
            {
                return CharClass.Space;
            }

            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }

        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => CharClass.Space,
            _ => CharClass.Other,
        };
    }

    private static readonly CharClass[] AsciiClasses = BuildAscii();

    private static CharClass[] BuildAscii()
    {
        var classes = new CharClass[128];
        for (var c = 0; c < 128; c++)
        {
            classes[c] = char.IsAsciiLetter((char)c) ? CharClass.Letter
                : char.IsAsciiDigit((char)c) ? CharClass.Number
                : char.IsWhiteSpace((char)c) ? CharClass.Space
                : CharClass.Other;
        }

        return classes;
    }

    /// <summary>The pieces of <paramref name="text"/> as strings (for tests and diagnostics).</summary>
    public static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        Split(text, (start, length) => pieces.Add(text.Substring(start, length)));
        return pieces;
    }
}
