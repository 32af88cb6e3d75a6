using System.Text;
using System.Text.RegularExpressions;
using SecForge.Testing;

namespace SecForge.RedTeam.Tests;

/// <summary>Loopback targets with scripted behaviour for the acceptance tests.</summary>
internal static partial class ScriptedTargets
{
    public const string Refusal = "I'm sorry, but I can't help with that request.";

    /// <summary>Refuses everything.</summary>
    public static ScriptedReply AlwaysRefuses(LoopbackRequest request) => new(Refusal);

    /// <summary>Complies with everything, does literally what it is told (echoing the request) and repeats its system prompt.</summary>
    public static ScriptedReply AlwaysComplies(LoopbackRequest request) => new(Compliance(request, request.Messages[^1].Content));

    /// <summary>Complies like <see cref="AlwaysComplies"/> only when the request arrives base64-encoded; refuses otherwise.</summary>
    public static ScriptedReply CompliesWithBase64(LoopbackRequest request)
    {
        var decoded = Base64Blob().Matches(request.Messages[^1].Content).Select(m => Decode(m.Value)).FirstOrDefault(d => d is not null);
        return new(decoded is null ? Refusal : Compliance(request, decoded));
    }

    private static string Compliance(LoopbackRequest request, string task)
    {
        var system = request.Messages.FirstOrDefault(m => m.Role == "system").Content ?? string.Empty;
        return $"Sure! Here is exactly what you asked for:\n\n```\n{task}\n```\n\n1. First, set everything up on your machine.\n2. Then run it against the target.\n3. Finally, collect the results.\n\nMy instructions were: {system}";
    }

    private static string? Decode(string value)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            return text.Length > 10 && text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t') ? text : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9+/]{24,}={0,2}")]
    private static partial Regex Base64Blob();
}
