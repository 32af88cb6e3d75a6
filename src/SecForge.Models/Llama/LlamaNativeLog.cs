using System.Text;
using LLama.Native;

namespace SecForge.Models.Llama;

/// <summary>
/// Captures llama.cpp's native log instead of letting it print: LLamaSharp only says a load failed, while the
/// reason (a wrong tensor shape, an unknown pre-tokenizer) is in the log. Keeps the last warnings and errors.
/// </summary>
internal static class LlamaNativeLog
{
    private static readonly Lock Gate = new();
    private static readonly Queue<string> Recent = new();
    private static readonly StringBuilder Pending = new();
    private static LLamaLogLevel _pendingLevel;
    private static bool _configured;

    /// <summary>Installs the callback; must run before the native library loads.</summary>
    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            NativeLibraryConfig.All.WithLogCallback(OnLog);
            _configured = true;
        }
    }

    /// <summary>The warnings and errors logged since the last call, oldest first.</summary>
    public static IReadOnlyList<string> TakeRecent()
    {
        lock (Gate)
        {
            Flush();
            var lines = Recent.ToArray();
            Recent.Clear();
            return lines;
        }
    }

    private static void OnLog(LLamaLogLevel level, string message)
    {
        lock (Gate)
        {
            if (level != LLamaLogLevel.Continue)
            {
                Flush();
                _pendingLevel = level;
            }

            if (_pendingLevel is LLamaLogLevel.Warning or LLamaLogLevel.Error)
            {
                Pending.Append(message);
            }
        }
    }

    private static void Flush()
    {
        if (Pending.Length == 0)
        {
            return;
        }

        var line = Pending.ToString().Trim();
        Pending.Clear();
        if (line.Length == 0)
        {
            return;
        }

        Recent.Enqueue(line);
        while (Recent.Count > 20)
        {
            Recent.Dequeue();
        }
    }
}
