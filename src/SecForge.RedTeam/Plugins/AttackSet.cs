using System.Text.Json;
using SecForge.Core.Errors;
using SecForge.Core.IO;
using SecForge.Core.Json;

namespace SecForge.RedTeam.Plugins;

/// <summary>Attack sets as files: one JSON attack per line, written for review and replayed exactly.</summary>
public static class AttackSet
{
    public static async Task WriteAsync(string path, IEnumerable<Attack> attacks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attacks);
        await AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            foreach (var attack in attacks)
            {
                await JsonSerializer.SerializeAsync(stream, attack, SecForgeJson.Compact, ct).ConfigureAwait(false);
                stream.WriteByte((byte)'\n');
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an attack set; a malformed line names the file, line and field.</summary>
    public static List<Attack> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException("attack set not found", path);
        }

        var attacks = new List<Attack>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            Attack? attack;
            try
            {
                attack = JsonSerializer.Deserialize<Attack>(text, SecForgeJson.Compact);
            }
            catch (JsonException exception)
            {
                var field = exception.Path?.TrimStart('$', '.');
                throw new InputException($"not a valid attack: {exception.Message}", path, line, string.IsNullOrEmpty(field) ? null : field);
            }

            if (attack is null || attack.Turns.Count == 0 || attack.Turns.Any(string.IsNullOrWhiteSpace))
            {
                throw new InputException("an attack needs at least one non-empty turn", path, line, "turns");
            }

            if (attack.Graders.Count == 0)
            {
                throw new InputException("an attack needs at least one grader", path, line, "graders");
            }

            attacks.Add(attack);
        }

        return attacks;
    }
}
