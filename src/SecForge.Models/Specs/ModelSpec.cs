using SecForge.Core.Errors;

namespace SecForge.Models.Specs;

/// <summary>
/// A parsed model spec from the command line: <c>openai:&lt;model&gt;@&lt;base-url&gt;</c>, <c>openai:&lt;model&gt;</c>
/// (api.openai.com), <c>ollama:&lt;model&gt;</c> (127.0.0.1:11434) or <c>gguf:&lt;path&gt;</c>. A bare name refers to a
/// model named in secforge.yaml and is resolved by <see cref="ModelRegistry"/>.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>The OpenAI API's base URL.</summary>
    public static readonly Uri OpenAIBaseUri = new("https://api.openai.com/v1");

    /// <summary>Ollama's OpenAI-compatible base URL.</summary>
    public static readonly Uri OllamaBaseUri = new("http://127.0.0.1:11434/v1");

    /// <summary>The schemes a spec may start with.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["openai", "ollama", "gguf"];

    public required ModelBackend Backend { get; init; }

    /// <summary>The model name sent to a server, or the file name of a GGUF model.</summary>
    public required string Model { get; init; }

    /// <summary>The server's base URL (OpenAI-compatible backends).</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>The model file (GGUF backend).</summary>
    public string? Path { get; init; }

    /// <summary>The text the spec was parsed from.</summary>
    public required string Text { get; init; }

    /// <summary>True when <paramref name="text"/> starts with a scheme (it is a spec, not a model name).</summary>
    public static bool HasScheme(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="InputException"/> naming what is wrong.</summary>
    public static ModelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new InputException($"'{text}' is not a model spec: expected openai:<model>@<base-url>, ollama:<model>, gguf:<path>, or a model named in secforge.yaml");
        }

        var scheme = text[..colon].ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (rest.Length == 0)
        {
            throw new InputException($"model spec '{text}' names no model after '{scheme}:'");
        }

        switch (scheme)
        {
            case "openai":
                {
                    var at = rest.IndexOf("@http", StringComparison.OrdinalIgnoreCase);
                    var model = at < 0 ? rest : rest[..at];
                    var baseUri = at < 0 ? OpenAIBaseUri : ParseBaseUri(rest[(at + 1)..], text);
                    if (model.Length == 0)
                    {
                        throw new InputException($"model spec '{text}' names no model before '@'");
                    }

                    return new ModelSpec { Backend = ModelBackend.OpenAICompatible, Model = model, BaseUri = baseUri, Text = text };
                }

            case "ollama":
                return new ModelSpec { Backend = ModelBackend.OpenAICompatible, Model = rest, BaseUri = OllamaBaseUri, Text = text };
            case "gguf":
                return new ModelSpec { Backend = ModelBackend.Gguf, Model = System.IO.Path.GetFileNameWithoutExtension(rest), Path = rest, Text = text };
            default:
                throw new InputException($"unknown model scheme '{scheme}' in '{text}': use openai:<model>@<base-url>, ollama:<model>, gguf:<path>, or a model named in secforge.yaml");
        }
    }

    private static Uri ParseBaseUri(string value, string spec)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InputException($"model spec '{spec}' has an invalid base URL '{value}': expected http(s)://host[:port]/v1");
        }

        return uri;
    }

    public override string ToString() => Text;
}
