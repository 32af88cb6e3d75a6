using System.Text;
using LLama;
using LLama.Native;
using SecForge.Core.Randomness;
using SecForge.Models.Completions;

namespace SecForge.Models.Llama;

/// <summary>Settings of one generation.</summary>
internal sealed record GenerationSettings(
    int MaxTokens,
    float Temperature,
    float TopP,
    ulong Seed,
    IReadOnlyList<string> StopSequences,
    bool LogProbabilities,
    int TopLogProbabilities);

/// <summary>What a generation produced.</summary>
internal sealed record GenerationResult(string Text, string FinishReason, int PromptTokens, int OutputTokens, IReadOnlyList<TokenLogProbability>? LogProbabilities);

/// <summary>
/// The decode loops SecForge runs on llama.cpp: generation with greedy or seeded temperature/top-p sampling and
/// per-token log-probabilities, and the log-likelihood of a continuation. Logits come straight from llama.cpp;
/// sampling and log-softmax are done here so that every backend reports the same quantities.
/// </summary>
internal static class LlamaInference
{
    /// <summary>Generates from <paramref name="prompt"/> on <paramref name="context"/> (whose memory is clear).</summary>
    public static GenerationResult Generate(
        LLamaContext context,
        LlamaModelHost host,
        LLamaToken[] prompt,
        GenerationSettings settings,
        Action<string>? onText,
        CancellationToken cancellationToken)
    {
        var contextSize = (int)context.ContextSize;
        if (prompt.Length >= contextSize)
        {
            throw new InvalidOperationException($"the prompt takes {prompt.Length} tokens, more than the context of {contextSize} leaves room for");
        }

        var vocab = host.Weights.Vocab;
        var batch = new LLamaBatch();
        DecodePrompt(context, batch, prompt, host.BatchSize, cancellationToken);
        var random = new SplitMix64(settings.Seed);
        var decoder = new StreamingTokenDecoder(context);
        var text = new StringBuilder();
        var logProbabilities = settings.LogProbabilities ? new List<TokenLogProbability>() : null;
        var scratch = new double[vocab.Count];
        var position = prompt.Length;
        var produced = 0;
        var finish = "length";
        var emitted = 0;
        while (produced < settings.MaxTokens && position < contextSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
            LogSoftmax(logits, scratch);
            var token = settings.Temperature <= 0 ? ArgMax(logits) : Sample(logits, settings.Temperature, settings.TopP, random);
            var llamaToken = (LLamaToken)token;
            if (llamaToken.IsEndOfGeneration(vocab))
            {
                finish = "stop";
                break;
            }

            produced++;
            logProbabilities?.Add(new TokenLogProbability(
                vocab.LLamaTokenToString(llamaToken, false) ?? string.Empty,
                scratch[token],
                settings.TopLogProbabilities > 0 ? Top(scratch, settings.TopLogProbabilities, vocab) : null));
            decoder.Add(llamaToken);
            text.Append(decoder.Read());
            if (StopIndex(text, settings.StopSequences) is { } stop)
            {
                text.Length = stop;
                finish = "stop";
                break;
            }

            if (onText is not null)
            {
                // Hold back what could still be the start of a stop sequence.
                var safe = text.Length - LongestStopPrefix(text, settings.StopSequences);
                if (safe > emitted)
                {
                    onText(text.ToString(emitted, safe - emitted));
                    emitted = safe;
                }
            }

            batch.Clear();
            batch.Add(llamaToken, position++, LLamaSeqId.Zero, true);
            Decode(context, batch);
        }

        if (onText is not null && text.Length > emitted)
        {
            onText(text.ToString(emitted, text.Length - emitted));
        }

        return new GenerationResult(text.ToString(), finish, prompt.Length, produced, logProbabilities);
    }

    /// <summary>The log-likelihood of <paramref name="continuation"/> after <paramref name="contextText"/>.</summary>
    public static LogLikelihood ScoreContinuation(LLamaContext context, LlamaModelHost host, string contextText, string continuation, CancellationToken cancellationToken)
    {
        var contextTokens = context.Tokenize(contextText, addBos: true, special: true);
        var whole = context.Tokenize(contextText + continuation, addBos: true, special: true);
        var prefix = 0;
        while (prefix < contextTokens.Length && prefix < whole.Length && contextTokens[prefix] == whole[prefix])
        {
            prefix++;
        }

        // A context that is empty after BOS still needs one token to predict from.
        prefix = Math.Max(prefix, 1);
        if (prefix >= whole.Length)
        {
            throw new ArgumentException("the continuation adds no tokens to the context", nameof(continuation));
        }

        if (whole.Length > context.ContextSize)
        {
            throw new InvalidOperationException($"context and continuation take {whole.Length} tokens, more than the context of {context.ContextSize}");
        }

        var scratch = new double[host.Weights.Vocab.Count];
        var batch = new LLamaBatch();
        double sum = 0;
        var greedy = true;
        var chunk = host.BatchSize;
        for (var start = 0; start < whole.Length - 1; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + chunk, whole.Length - 1);
            batch.Clear();
            for (var position = start; position < end; position++)
            {
                batch.Add(whole[position], position, LLamaSeqId.Zero, logits: position >= prefix - 1);
            }

            Decode(context, batch);
            for (var position = Math.Max(start, prefix - 1); position < end; position++)
            {
                var logits = context.NativeHandle.GetLogitsIth(position - start);
                LogSoftmax(logits, scratch);
                var next = (int)whole[position + 1];
                sum += scratch[next];
                if (ArgMax(logits) != next)
                {
                    greedy = false;
                }
            }
        }

        return new LogLikelihood(sum, greedy, whole.Length - prefix);
    }

    private static void DecodePrompt(LLamaContext context, LLamaBatch batch, LLamaToken[] prompt, int chunk, CancellationToken cancellationToken)
    {
        for (var start = 0; start < prompt.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + chunk, prompt.Length);
            batch.Clear();
            for (var position = start; position < end; position++)
            {
                batch.Add(prompt[position], position, LLamaSeqId.Zero, logits: position == prompt.Length - 1);
            }

            Decode(context, batch);
        }
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp could not decode the batch ({result})");
        }
    }

    private static void LogSoftmax(ReadOnlySpan<float> logits, double[] output)
    {
        double max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        var logSum = max + Math.Log(sum);
        for (var i = 0; i < logits.Length; i++)
        {
            output[i] = logits[i] - logSum;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int Sample(ReadOnlySpan<float> logits, float temperature, float topP, SplitMix64 random)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var order = new int[logits.Length];
        var weights = new double[logits.Length];
        double total = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            order[i] = i;
            weights[i] = Math.Exp((logits[i] - max) / temperature);
            total += weights[i];
        }

        var keep = logits.Length;
        if (topP is > 0 and < 1)
        {
            Array.Sort(order, (a, b) => weights[b].CompareTo(weights[a]));
            double mass = 0;
            for (var i = 0; i < order.Length; i++)
            {
                mass += weights[order[i]] / total;
                if (mass >= topP)
                {
                    keep = i + 1;
                    break;
                }
            }

            total = 0;
            for (var i = 0; i < keep; i++)
            {
                total += weights[order[i]];
            }
        }

        var draw = random.NextDouble() * total;
        for (var i = 0; i < keep; i++)
        {
            draw -= weights[order[i]];
            if (draw <= 0)
            {
                return order[i];
            }
        }

        return order[keep - 1];
    }

    private static TopLogProbability[] Top(double[] logProbabilities, int count, SafeLlamaModelHandle.Vocabulary vocab)
    {
        var indices = Enumerable.Range(0, logProbabilities.Length).OrderByDescending(i => logProbabilities[i]).Take(count);
        return indices.Select(i => new TopLogProbability(vocab.LLamaTokenToString((LLamaToken)i, false) ?? string.Empty, logProbabilities[i])).ToArray();
    }

    private static int? StopIndex(StringBuilder text, IReadOnlyList<string> stops)
    {
        if (stops.Count == 0)
        {
            return null;
        }

        var value = text.ToString();
        int? first = null;
        foreach (var stop in stops)
        {
            var index = value.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first is null || index < first))
            {
                first = index;
            }
        }

        return first;
    }

    private static int LongestStopPrefix(StringBuilder text, IReadOnlyList<string> stops)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                var matches = true;
                for (var i = 0; i < length; i++)
                {
                    if (text[text.Length - length + i] != stop[i])
                    {
                        matches = false;
                        break;
                    }
                }

                if (matches)
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
