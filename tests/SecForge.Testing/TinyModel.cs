using SecForge.Models.Gguf;

namespace SecForge.Testing;

/// <summary>The tiny test GGUF, written once per test process by <see cref="TinyLlamaModel"/>.</summary>
public static class TinyModel
{
    private static readonly Lazy<string> LazyPath = new(() =>
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"secforge-tiny-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "tiny.gguf");
        TinyLlamaModel.Write(path);
        return path;
    });

    /// <summary>The model file.</summary>
    public static string Path => LazyPath.Value;

    /// <summary>A spec naming the model file.</summary>
    public static string Spec => "gguf:" + Path;
}
