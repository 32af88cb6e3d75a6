using SecForge.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SecForge.Core.Configuration;

/// <summary>Reads SecForge's YAML files (snake_case keys) into typed classes, with errors that name the file and line.</summary>
public static class YamlFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithCaseInsensitivePropertyMatching()
        .Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    /// <summary>Reads <paramref name="path"/> as a <typeparamref name="T"/>; an empty file gives a default instance.</summary>
    public static T Read<T>(string path)
        where T : new()
    {
        if (!File.Exists(path))
        {
            throw new InputException("file not found", path);
        }

        return Parse<T>(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML <paramref name="text"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static T Parse<T>(string text, string sourceName)
        where T : new()
    {
        try
        {
            return Deserializer.Deserialize<T>(text) ?? new T();
        }
        catch (YamlException exception)
        {
            var inner = exception.InnerException?.Message;
            var detail = inner is null ? exception.Message : $"{exception.Message} ({inner})";
            throw new InputException($"invalid YAML: {detail}", sourceName, exception.Start.Line, innerException: exception);
        }
    }

    /// <summary>Writes <paramref name="value"/> as YAML text.</summary>
    public static string Serialize(object value) => Serializer.Serialize(value);
}
