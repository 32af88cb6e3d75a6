using System.Globalization;
using System.Text;
using SecForge.Core.Hashing;
using SecForge.Core.Randomness;
using SecForge.Evaluation.Scoring;
using SecForge.Evaluation.Tasks;
using SecForge.Evaluation.Tasks.Benchmarks;

namespace SecForge.Evaluation.Protocols;

/// <summary>Renders an item as the protocol asks: the benchmark's own prompt, a generic one, or a few-shot completion.</summary>
public static class PromptBuilder
{
    /// <summary>The prompt for <paramref name="sample"/> in trial <paramref name="trial"/>.</summary>
    public static EvalPrompt Build(EvalTask task, TaskData data, EvalSample sample, EvalProtocol protocol, int trial, int seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.Style == PromptStyle.FewShotCompletion)
        {
            return new EvalPrompt
            {
                Raw = FewShot(task, data, sample, protocol, trial, seed),
                Rule = ExtractionRule.Completion,
                Stop = ["\n\n", "\nQuestion:"],
            };
        }

        var cyberMetricPrompt = task.Kind == AnswerKind.MultipleChoice && sample.Choices is { Count: 4 }
            && (protocol.Style == PromptStyle.CyberMetric || (task.Native == NativePromptStyle.CyberMetric && protocol.Style is PromptStyle.Native or PromptStyle.FoundationInstruct));
        if (cyberMetricPrompt)
        {
            return new EvalPrompt
            {
                System = protocol.Style == PromptStyle.FoundationInstruct ? null : CyberMetric.SystemPrompt,
                User = CyberMetric.Prompt(sample),
                Rule = ExtractionRule.AnswerTag,
            };
        }

        var system = protocol.Style switch
        {
            PromptStyle.CtiBench => CtiBench.SystemPrompt,
            PromptStyle.CyberMetric => CyberMetric.SystemPrompt,
            PromptStyle.Native when task.Native == NativePromptStyle.CtiBench => CtiBench.SystemPrompt,
            _ => null,
        };
        if (sample.NativePrompt is { } native)
        {
            return new EvalPrompt { System = system, User = native, Rule = ExtractionRule.LastLine };
        }

        return new EvalPrompt { System = system, User = Generic(task, sample), Rule = ExtractionRule.AnswerColon };
    }

    /// <summary>A zero-shot instruction for items whose benchmark ships no per-item prompt.</summary>
    public static string Generic(EvalTask task, EvalSample sample)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sample);
        var text = new StringBuilder();
        if (task.InstructionOf(sample) is { } instruction)
        {
            text.Append(instruction).Append("\n\n");
        }

        if (sample.Context is { } context)
        {
            text.Append(context.Trim()).Append("\n\n");
        }

        switch (task.Kind)
        {
            case AnswerKind.MultipleChoice:
                AppendQuestion(text, sample);
                text.Append("\nChoose the correct option. End your reply with a line of the form \"Answer: X\" where X is the option's letter");
                text.Append(sample.LabelsOr(task.Labels).Contains('X', StringComparison.Ordinal) ? " (or X if you do not know)." : ".");
                break;
            case AnswerKind.MultipleAnswer:
                AppendQuestion(text, sample);
                text.Append("\nOne or more options are correct. End your reply with a line of the form \"Answer: A, C\" listing the letters of every correct option.");
                break;
            case AnswerKind.TrueFalse:
                text.Append("Statement: ").Append(sample.Question).Append("\n\nIs the statement true or false? End your reply with \"Answer: T\" (true), \"Answer: F\" (false) or \"Answer: X\" (you do not know).");
                break;
            case AnswerKind.Cwe:
                text.Append("Map this vulnerability description to the most appropriate CWE:\n\n").Append(sample.Question).Append("\n\nEnd your reply with the CWE id (for example CWE-79) alone on the last line.");
                break;
            case AnswerKind.CvssVector:
                text.Append("Determine the CVSS v3.1 base metrics of this vulnerability:\n\n").Append(sample.Question).Append("\n\nEnd your reply with the CVSS v3.1 vector string (CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_) alone on the last line.");
                break;
            case AnswerKind.AttackTechniques:
                text.Append("Extract the MITRE ATT&CK techniques this text describes:\n\n").Append(sample.Question).Append("\n\nEnd your reply with a line listing only the main technique ids, comma-separated (for example T1059, T1071).");
                break;
            case AnswerKind.ThreatActor:
                text.Append("Which threat actor is [PLACEHOLDER] in this report?\n\n").Append(sample.Question).Append("\n\nEnd your reply with the actor's name alone on the last line.");
                break;
            case AnswerKind.Number:
                text.Append(sample.Question).Append("\n\nReply with the number only.");
                break;
            default:
                text.Append(sample.Question);
                break;
        }

        return text.ToString();
    }

    private static void AppendQuestion(StringBuilder text, EvalSample sample)
    {
        text.Append("Question: ").Append(sample.Question).Append("\n\n");
        for (var i = 0; i < sample.Choices!.Count; i++)
        {
            // An empty option is one the item does not offer (a three-option question): its letter is left out.
            if (sample.Choices[i].Length > 0)
            {
                text.Append((char)('A' + i)).Append(") ").Append(sample.Choices[i]).Append('\n');
            }
        }
    }

    /// <summary>
    /// A base model's prompt: the prefix, <see cref="EvalProtocol.Shots"/> solved items from the same benchmark
    /// (never the item itself; drawn per item and trial from the seed), and the item ending in "Answer:".
    /// </summary>
    public static string FewShot(EvalTask task, TaskData data, EvalSample sample, EvalProtocol protocol, int trial, int seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(protocol);
        // Shots come from the dev split where the benchmark has one (of the item's own subject when the split has
        // several), otherwise from the other items.
        var pool = data.ShotPool is { } dev
            ? (sample.Category is { } subject && dev.Any(s => s.Category == subject) ? dev.Where(s => s.Category == subject).ToList() : dev.ToList())
            : data.Samples.Where(s => s.Id != sample.Id).ToList();
        var random = new SplitMix64(ContentHash.XxHash64($"{seed}\u0001{task.Name}\u0001{sample.Id}\u0001{trial}"));
        var shots = new List<EvalSample>();
        if (data.ShotPool is not null && trial == 0)
        {
            // A fixed dev split (MMLU) is used as published: its first rows in order on the first trial.
            shots.AddRange(pool.Take(protocol.Shots));
        }
        else
        {
            var indices = Enumerable.Range(0, pool.Count).ToList();
            random.Shuffle(indices);
            shots.AddRange(indices.Take(protocol.Shots).Select(i => pool[i]));
        }

        var text = new StringBuilder();
        text.Append(task.InstructionFor?.Invoke(sample) ?? (task.Kind is AnswerKind.MultipleChoice or AnswerKind.MultipleAnswer ? protocol.FewShotPrefix : "The following are questions and answers about computer security."));
        text.Append("\n\n");
        foreach (var shot in shots)
        {
            AppendBlock(text, task, shot);
            text.Append(' ').Append(shot.Target).Append("\n\n");
        }

        AppendBlock(text, task, sample);
        return text.ToString();
    }

    /// <summary>One item as a few-shot block, ending in "Answer:" (the answer follows after a space).</summary>
    public static void AppendBlock(StringBuilder text, EvalTask task, EvalSample sample)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Context is { } context)
        {
            text.Append(context.Trim()).Append('\n');
        }

        text.Append(task.Kind == AnswerKind.TrueFalse ? "Statement: " : "Question: ").Append(sample.Question.Trim()).Append('\n');
        if (sample.Choices is { } choices)
        {
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i].Length > 0)
                {
                    text.Append((char)('A' + i)).Append(". ").Append(choices[i]).Append('\n');
                }
            }
        }

        text.Append("Answer:");
    }

    /// <summary>A stable per-item seed for sampling at temperature above 0.</summary>
    public static long SamplingSeed(int seed, string task, string sample, int trial) =>
        (long)(ContentHash.XxHash64(string.Create(CultureInfo.InvariantCulture, $"{seed}|{task}|{sample}|{trial}")) & 0x7FFF_FFFF);
}
