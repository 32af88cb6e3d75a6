namespace SecForge.Alignment.Triage;

/// <summary>Reads the JSON object a model was asked to reply with, tolerating only a Markdown code fence around it.</summary>
internal static class JsonReply
{
    public static string Unfence(string? text)
    {
        var body = (text ?? string.Empty).Trim();
        if (!body.StartsWith("```", StringComparison.Ordinal))
        {
            return body;
        }

        var firstLine = body.IndexOf('\n', StringComparison.Ordinal);
        var end = body.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && end > firstLine ? body[(firstLine + 1)..end].Trim() : body;
    }
}
