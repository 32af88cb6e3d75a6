using Microsoft.Extensions.AI;
using SecForge.Models.Completions;

namespace SecForge.Models.Tests;

/// <summary>
/// The behaviour every backend must show, asserted the same way through real llama.cpp and through real HTTP.
/// Subclasses only say how to connect.
/// </summary>
public abstract class ModelBackendConformanceTests : IAsyncLifetime
{
    private ModelConnection? _model;

    protected ModelConnection Model => _model ?? throw new InvalidOperationException("not initialised");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Connects to the backend under test, without a response cache.</summary>
    protected abstract ValueTask<ModelConnection> ConnectAsync();

    public async ValueTask InitializeAsync() => _model = await ConnectAsync();

    public virtual ValueTask DisposeAsync()
    {
        _model?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Chat_ReturnsAnAssistantReplyWithUsage()
    {
        var response = await Model.Chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a SOC analyst."), new ChatMessage(ChatRole.User, "Summarise the alert")],
            new ChatOptions { MaxOutputTokens = 12, Temperature = 0 },
            Token);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount ?? 0, 1, 12);
    }

    [Fact]
    public async Task Chat_IsDeterministicAtTemperatureZero()
    {
        var options = new ChatOptions { MaxOutputTokens = 10, Temperature = 0 };
        var first = await Model.Chat.GetResponseAsync("Which port does SSH use", options, Token);
        var second = await Model.Chat.GetResponseAsync("Which port does SSH use", options, Token);
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task Chat_StopsAtMaxOutputTokensWithFinishReasonLength()
    {
        var response = await Model.Chat.GetResponseAsync("Write a long incident report", new ChatOptions { MaxOutputTokens = 3, Temperature = 0 }, Token);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount <= 3);
    }

    [Fact]
    public async Task Streaming_YieldsTheSameTextAsAPlainResponse()
    {
        var options = new ChatOptions { MaxOutputTokens = 10, Temperature = 0 };
        var plain = await Model.Chat.GetResponseAsync("Describe lateral movement", options, Token);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Model.Chat.GetStreamingResponseAsync("Describe lateral movement", options, Token))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 1, "a stream arrives in more than one piece");
        Assert.Equal(plain.Text, updates.ToChatResponse().Text);
        Assert.Contains(updates, u => u.FinishReason is not null);
    }

    [Fact]
    public async Task Chat_ReturnsOneLogProbabilityPerGeneratedTokenWhenAsked()
    {
        var response = await Model.Chat.GetResponseAsync(
            "Name a MITRE ATT&CK tactic",
            new ChatOptions { MaxOutputTokens = 6, Temperature = 0 }.WithLogProbabilities(top: 3),
            Token);

        var logProbabilities = response.GetLogProbabilities();
        Assert.NotNull(logProbabilities);
        Assert.Equal(response.Usage?.OutputTokenCount, logProbabilities.Count);
        Assert.All(logProbabilities, token =>
        {
            Assert.InRange(token.LogProbability, double.NegativeInfinity, 0);
            Assert.NotNull(token.Top);
            Assert.InRange(token.Top.Count, 1, 3);

            // Greedy decoding picks the likeliest token, so nothing offered beside it beats it.
            Assert.True(token.Top.Max(t => t.LogProbability) <= token.LogProbability + 1e-4);
        });
    }

    [Fact]
    public async Task Chat_WithoutLogProbabilityRequest_ReturnsNone()
    {
        var response = await Model.Chat.GetResponseAsync("Name a CWE", new ChatOptions { MaxOutputTokens = 4, Temperature = 0 }, Token);
        Assert.Null(response.GetLogProbabilities());
    }

    [Fact]
    public async Task ConcurrentRequests_GiveTheSameAnswersAsSequentialOnes()
    {
        var prompts = Enumerable.Range(0, 8).Select(i => $"Triage alert number {i}").ToArray();
        var options = new ChatOptions { MaxOutputTokens = 6, Temperature = 0 };
        var sequential = new List<string>();
        foreach (var prompt in prompts)
        {
            sequential.Add((await Model.Chat.GetResponseAsync(prompt, options, Token)).Text);
        }

        var concurrent = await Task.WhenAll(prompts.Select(async p => (await Model.Chat.GetResponseAsync(p, options, Token)).Text));
        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public async Task RawCompletion_ContinuesThePromptWithUsage()
    {
        var completion = await Model.Completion.CompleteAsync(
            "The following are multiple choice questions about computer security.\n\nAnswer:",
            new TextCompletionOptions { MaxOutputTokens = 8, Temperature = 0 },
            Token);

        Assert.NotEmpty(completion.Text);
        Assert.True(completion.Usage?.InputTokenCount > 0);
        Assert.InRange(completion.Usage?.OutputTokenCount ?? 0, 1, 8);
    }

    [Fact]
    public async Task RawCompletion_EndsAtAStopSequenceWithoutIncludingIt()
    {
        var options = new TextCompletionOptions { MaxOutputTokens = 16, Temperature = 0 };
        var full = await Model.Completion.CompleteAsync("Incident timeline:", options, Token);
        Assert.True(full.Text.Length >= 4, $"need some text to cut, got '{full.Text}'");
        var stop = full.Text.Substring(full.Text.Length / 2, 2);
        var expected = full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)];

        var cut = await Model.Completion.CompleteAsync("Incident timeline:", options with { StopSequences = [stop] }, Token);

        Assert.Equal(expected, cut.Text);
        Assert.Equal("stop", cut.FinishReason);
    }

    [Fact]
    public async Task RawCompletion_ReturnsTokenLogProbabilitiesWhenAsked()
    {
        var completion = await Model.Completion.CompleteAsync(
            "Indicators:",
            new TextCompletionOptions { MaxOutputTokens = 5, Temperature = 0, IncludeLogProbabilities = true, TopLogProbabilities = 2 },
            Token);

        Assert.NotNull(completion.LogProbabilities);
        Assert.Equal(completion.Usage?.OutputTokenCount, completion.LogProbabilities.Count);
        Assert.All(completion.LogProbabilities, t => Assert.True(t.LogProbability <= 0));
    }

    [Fact]
    public async Task SampledCompletion_RepeatsWithTheSameSeed()
    {
        var options = new TextCompletionOptions { MaxOutputTokens = 8, Temperature = 1.0f, Seed = 7 };
        var first = await Model.Completion.CompleteAsync("Threat actor:", options, Token);
        var second = await Model.Completion.CompleteAsync("Threat actor:", options, Token);
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task LogLikelihood_IsNegativeAndCountsTheContinuationTokens()
    {
        var result = await Model.Completion.GetLogLikelihoodAsync("Question: which protocol is encrypted?\nAnswer:", " HTTPS", cancellationToken: Token);
        Assert.True(result.LogProbability < 0);
        Assert.True(result.TokenCount >= 1);
    }

    [Fact]
    public async Task LogLikelihood_FollowsTheChainRule()
    {
        const string context = "The analyst reviewed the";
        var whole = await Model.Completion.GetLogLikelihoodAsync(context, " alert and closed", cancellationToken: Token);
        var first = await Model.Completion.GetLogLikelihoodAsync(context, " alert", cancellationToken: Token);
        var second = await Model.Completion.GetLogLikelihoodAsync(context + " alert", " and closed", cancellationToken: Token);

        Assert.Equal(whole.TokenCount, first.TokenCount + second.TokenCount);
        Assert.Equal(whole.LogProbability, first.LogProbability + second.LogProbability, 2);
    }

    [Fact]
    public async Task LogLikelihood_OfTheGreedyContinuationIsGreedy()
    {
        const string context = "Ticket status:";
        var greedy = await Model.Completion.CompleteAsync(context, new TextCompletionOptions { MaxOutputTokens = 4, Temperature = 0 }, Token);
        var scored = await Model.Completion.GetLogLikelihoodAsync(context, greedy.Text, cancellationToken: Token);
        Assert.True(scored.IsGreedy, $"'{greedy.Text}' was generated greedily");

        var other = await Model.Completion.GetLogLikelihoodAsync(context, greedy.Text + " zebra quartz", cancellationToken: Token);
        Assert.False(other.IsGreedy);
        Assert.True(other.LogProbability < scored.LogProbability);
    }

    [Fact]
    public void Metadata_NamesTheModel()
    {
        var metadata = Model.Chat.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.False(string.IsNullOrEmpty(metadata.DefaultModelId));
    }
}
