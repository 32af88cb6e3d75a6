using SecForge.Core.Randomness;

namespace SecForge.Models.Gguf;

/// <summary>
/// A tiny llama-architecture model (two blocks, 64-wide, a byte-level BPE vocabulary with the Llama 3 control
/// tokens and chat template) with fixed-seed weights: a few hundred KB that llama.cpp loads and runs
/// deterministically, so the real in-process inference path is tested without downloading a model.
/// </summary>
public static class TinyLlamaModel
{
    /// <summary>Embedding width.</summary>
    public const int EmbeddingLength = 64;

    /// <summary>Feed-forward width.</summary>
    public const int FeedForwardLength = 128;

    /// <summary>Transformer blocks.</summary>
    public const int BlockCount = 2;

    /// <summary>Attention heads.</summary>
    public const int HeadCount = 4;

    /// <summary>Key/value heads (grouped-query attention).</summary>
    public const int KeyValueHeadCount = 2;

    /// <summary>Context length the model declares.</summary>
    public const int ContextLength = 4096;

    /// <summary>The default seed of the weights.</summary>
    public const ulong DefaultSeed = 20250801;

    /// <summary>The Llama 3 chat template; llama.cpp recognises it by its header markers.</summary>
    public const string ChatTemplate =
        "{{ bos_token }}{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n" +
        "{{ message['content'] | trim }}<|eot_id|>{% endfor %}" +
        "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}";

    private static readonly string[] Merges = ["h e", "l l", "i n", "e r", "Ġ t", "Ġt he", "o r", "Ġ a"];

    private static readonly string[] ControlTokens =
        ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    /// <summary>Token id of <c>&lt;|begin_of_text|&gt;</c>.</summary>
    public const int BeginOfTextId = 264;

    /// <summary>Token id of <c>&lt;|eot_id|&gt;</c>.</summary>
    public const int EndOfTurnId = 268;

    /// <summary>Vocabulary size: 256 bytes, 8 merges, 5 control tokens.</summary>
    public const int VocabularySize = 269;

    /// <summary>Writes the model to <paramref name="path"/> (atomically) and returns its size in bytes.</summary>
    public static long Write(string path, ulong seed = DefaultSeed)
    {
        CreateWriter(seed).Write(path);
        return new FileInfo(path).Length;
    }

    /// <summary>Builds the GGUF writer holding the model.</summary>
    public static GgufWriter CreateWriter(ulong seed = DefaultSeed)
    {
        var tokens = new List<string>(VocabularySize);
        var byteToUnicode = ByteToUnicode();
        for (var b = 0; b < 256; b++)
        {
            tokens.Add(byteToUnicode[b].ToString());
        }

        foreach (var merge in Merges)
        {
            tokens.Add(merge.Replace(" ", string.Empty, StringComparison.Ordinal));
        }

        tokens.AddRange(ControlTokens);
        var tokenTypes = tokens.Select((_, i) => i >= 256 + Merges.Length ? 3 : 1).ToArray();

        var writer = new GgufWriter()
            .AddString("general.architecture", "llama")
            .AddString("general.name", "secforge-tiny-llama")
            .AddUInt32("general.alignment", 32)
            .AddUInt32("llama.context_length", ContextLength)
            .AddUInt32("llama.embedding_length", EmbeddingLength)
            .AddUInt32("llama.block_count", BlockCount)
            .AddUInt32("llama.feed_forward_length", FeedForwardLength)
            .AddUInt32("llama.attention.head_count", HeadCount)
            .AddUInt32("llama.attention.head_count_kv", KeyValueHeadCount)
            .AddUInt32("llama.rope.dimension_count", EmbeddingLength / HeadCount)
            .AddFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .AddString("tokenizer.ggml.model", "gpt2")
            .AddString("tokenizer.ggml.pre", "llama3")
            .AddStringArray("tokenizer.ggml.tokens", tokens)
            .AddInt32Array("tokenizer.ggml.token_type", tokenTypes)
            .AddStringArray("tokenizer.ggml.merges", Merges)
            .AddUInt32("tokenizer.ggml.bos_token_id", BeginOfTextId)
            .AddUInt32("tokenizer.ggml.eos_token_id", EndOfTurnId)
            .AddBool("tokenizer.ggml.add_bos_token", true)
            .AddString("tokenizer.chat_template", ChatTemplate);

        var random = new SplitMix64(seed);
        const int headDimension = EmbeddingLength / HeadCount;
        const int kvWidth = KeyValueHeadCount * headDimension;
        writer.AddTensor("token_embd.weight", [EmbeddingLength, VocabularySize], Gaussian(random, EmbeddingLength * VocabularySize, 1.0));
        for (var block = 0; block < BlockCount; block++)
        {
            var prefix = $"blk.{block}.";
            writer.AddTensor(prefix + "attn_norm.weight", [EmbeddingLength], Ones(EmbeddingLength));
            writer.AddTensor(prefix + "attn_q.weight", [EmbeddingLength, EmbeddingLength], Gaussian(random, EmbeddingLength * EmbeddingLength, 0.25));
            writer.AddTensor(prefix + "attn_k.weight", [EmbeddingLength, kvWidth], Gaussian(random, EmbeddingLength * kvWidth, 0.25));
            writer.AddTensor(prefix + "attn_v.weight", [EmbeddingLength, kvWidth], Gaussian(random, EmbeddingLength * kvWidth, 0.25));
            writer.AddTensor(prefix + "attn_output.weight", [EmbeddingLength, EmbeddingLength], Gaussian(random, EmbeddingLength * EmbeddingLength, 0.25));
            writer.AddTensor(prefix + "ffn_norm.weight", [EmbeddingLength], Ones(EmbeddingLength));
            writer.AddTensor(prefix + "ffn_gate.weight", [EmbeddingLength, FeedForwardLength], Gaussian(random, EmbeddingLength * FeedForwardLength, 0.2));
            writer.AddTensor(prefix + "ffn_up.weight", [EmbeddingLength, FeedForwardLength], Gaussian(random, EmbeddingLength * FeedForwardLength, 0.2));
            writer.AddTensor(prefix + "ffn_down.weight", [FeedForwardLength, EmbeddingLength], Gaussian(random, FeedForwardLength * EmbeddingLength, 0.2));
        }

        writer.AddTensor("output_norm.weight", [EmbeddingLength], Ones(EmbeddingLength));
        var output = Gaussian(random, EmbeddingLength * VocabularySize, 0.5);

        // Rows of control tokens and of bytes that are not printable ASCII are damped: greedy replies are then
        // readable, valid UTF-8 and not empty, while a sampled reply can still end.
        for (var token = 0; token < VocabularySize; token++)
        {
            var printable = token is >= 32 and < 127 || token is '\n' || (token >= 256 && token < 256 + Merges.Length);
            if (!printable)
            {
                for (var i = 0; i < EmbeddingLength; i++)
                {
                    output[(token * EmbeddingLength) + i] *= 0.1f;
                }
            }
        }

        writer.AddTensor("output.weight", [EmbeddingLength, VocabularySize], output);
        return writer;
    }

    /// <summary>GPT-2's reversible byte-to-unicode table used by byte-level BPE vocabularies.</summary>
    public static char[] ByteToUnicode()
    {
        var table = new char[256];
        var assigned = new bool[256];
        for (var b = '!'; b <= '~'; b++)
        {
            table[b] = b;
            assigned[b] = true;
        }

        for (var b = 0xA1; b <= 0xAC; b++)
        {
            table[b] = (char)b;
            assigned[b] = true;
        }

        for (var b = 0xAE; b <= 0xFF; b++)
        {
            table[b] = (char)b;
            assigned[b] = true;
        }

        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                table[b] = (char)(256 + next++);
            }
        }

        return table;
    }

    private static float[] Gaussian(SplitMix64 random, int count, double scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextGaussian() * scale);
        }

        return values;
    }

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }
}
