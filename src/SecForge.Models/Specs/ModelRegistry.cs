using SecForge.Core.Errors;

namespace SecForge.Models.Specs;

/// <summary>Resolves what a user typed — a spec or a name from secforge.yaml — to a <see cref="ResolvedModel"/>.</summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, ModelDefinition> _named;

    public ModelRegistry(IReadOnlyDictionary<string, ModelDefinition>? named = null, string? source = null)
    {
        _named = new Dictionary<string, ModelDefinition>(StringComparer.OrdinalIgnoreCase);
        Source = source;
        if (named is null)
        {
            return;
        }

        foreach (var (name, definition) in named)
        {
            if (string.IsNullOrWhiteSpace(definition.Spec))
            {
                throw new InputException("a named model needs a 'spec' (openai:…, ollama:… or gguf:…)", source, field: $"models.{name}.spec");
            }

            try
            {
                ModelSpec.Parse(definition.Spec);
            }
            catch (InputException exception)
            {
                throw new InputException(exception.Message, source, field: $"models.{name}.spec", innerException: exception);
            }

            _named[name] = definition;
        }
    }

    /// <summary>The file the named models came from, for messages.</summary>
    public string? Source { get; }

    /// <summary>The named models.</summary>
    public IReadOnlyDictionary<string, ModelDefinition> Named => _named;

    /// <summary>Resolves <paramref name="specOrName"/>.</summary>
    public ResolvedModel Resolve(string specOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specOrName);
        if (_named.TryGetValue(specOrName, out var definition))
        {
            return new ResolvedModel(specOrName, ModelSpec.Parse(definition.Spec!), definition);
        }

        if (!ModelSpec.HasScheme(specOrName))
        {
            var known = _named.Count == 0 ? "secforge.yaml names no models" : $"secforge.yaml names: {string.Join(", ", _named.Keys.Order(StringComparer.Ordinal))}";
            throw new InputException($"unknown model '{specOrName}': not a spec (openai:<model>@<base-url>, ollama:<model>, gguf:<path>) and not a named model ({known})");
        }

        var spec = ModelSpec.Parse(specOrName);
        return new ResolvedModel(specOrName, spec, new ModelDefinition { Spec = specOrName });
    }
}
