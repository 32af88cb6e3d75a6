namespace SecForge.Models.Completions;

/// <summary>Stacks middleware around a text completion client; the first added is the outermost, as with ChatClientBuilder.</summary>
public sealed class TextCompletionClientBuilder(ITextCompletionClient innerClient)
{
    private readonly List<Func<ITextCompletionClient, ITextCompletionClient>> _factories = [];

    /// <summary>Adds a layer.</summary>
    public TextCompletionClientBuilder Use(Func<ITextCompletionClient, ITextCompletionClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(factory);
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    public ITextCompletionClient Build()
    {
        var client = innerClient;
        for (var i = _factories.Count - 1; i >= 0; i--)
        {
            client = _factories[i](client);
        }

        return client;
    }
}
