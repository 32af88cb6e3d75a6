using System.Text.Json;
using Microsoft.Extensions.AI;
using SecForge.Evaluation.Running;
using SecForge.Evaluation.Tasks;

namespace SecForge.Benchmarks;

/// <summary>A synthetic multiple-choice task of N items (a custom task file) and an instant in-memory model for the eval benchmarks.</summary>
internal static class EvalWorkload
{
    private static readonly string[] Choices = ["Network segmentation with deny-by-default rules", "A longer password", "More logging without alerting", "Disabling the firewall"];

    /// <summary>Writes a custom task of <paramref name="items"/> CyberMetric-sized questions into <paramref name="directory"/>; returns it.</summary>
    public static EvalTask WriteTask(string directory, int items)
    {
        Directory.CreateDirectory(directory);
        var lines = Enumerable.Range(0, items).Select(i => JsonSerializer.Serialize(new
        {
            id = $"q{i}",
            question = $"Question {i}: which control most directly limits the blast radius of a compromised service account in a segmented network with {i % 7} tiers?",
            choices = Choices,
            answer = "ABCD"[i % 4].ToString(),
        }));
        File.WriteAllLines(Path.Combine(directory, "items.jsonl"), lines);
        File.WriteAllText(Path.Combine(directory, "task.yaml"), "name: synthetic-mcq\ndata: items.jsonl\ntype: multiple_choice\n");
        return CustomTask.Load(Path.Combine(directory, "task.yaml"));
    }

    /// <summary>Answers every question at once with a short reasoning and "Answer: B".</summary>
    public sealed class InstantModel : IChatClient
    {
        private static readonly ChatResponse Reply = new(new ChatMessage(ChatRole.Assistant, "Segmentation limits lateral movement.\nAnswer: A"))
        {
            Usage = new UsageDetails { InputTokenCount = 80, OutputTokenCount = 12 },
        };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(Reply);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    public static EvalRunOptions Options(EvalTask task, string output, int concurrency) => new()
    {
        Tasks = [task],
        OutputDirectory = output,
        Concurrency = concurrency,
    };
}
