using System.Xml;
using System.Xml.Linq;

namespace SecForge.Knowledge.Cwe;

/// <summary>What a CWE entry is.</summary>
public enum CweKind
{
    Weakness,
    Category,
    View,
}

/// <summary>A relation a CWE entry states: ChildOf, CanPrecede, ... to another CWE, or a related CAPEC pattern, or a category member.</summary>
public sealed record CweRelation(string Nature, string Target, string? ViewId);

/// <summary>One entry of the CWE list (schema cwe-7): its mapping guidance tells whether to map vulnerabilities to it.</summary>
public sealed record CweEntry(string Id, CweKind Kind, string Name, string Status, string? Abstraction, string Description, string? MappingUsage, string? MappingRationale, IReadOnlyList<CweRelation> Relations);

/// <summary>One entry read, or why one could not be.</summary>
public sealed record CweRead(CweEntry? Entry, string? Error, bool Fatal = false);

/// <summary>
/// Streams the entries of the official CWE XML (<c>cwec_vX.Y.xml</c>, namespace http://cwe.mitre.org/cwe-7): weaknesses,
/// categories and views, one element at a time. DTDs are refused, so an entity-expansion bomb is an error, not a
/// hang; an entry without its ID is a counted failure; XML that breaks off ends the stream with one fatal entry
/// giving the line.
/// </summary>
public static class CweCatalogReader
{
    /// <summary>The catalog's version (<c>Version</c> attribute of <c>Weakness_Catalog</c>) after reading has begun.</summary>
    public sealed class Catalog
    {
        public string Version { get; internal set; } = string.Empty;
    }

    public static IEnumerable<CweRead> Read(Stream stream, Catalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        using var reader = XmlReader.Create(stream, settings);
        while (true)
        {
            CweRead? read = null;
            var done = false;
            try
            {
                if (!reader.Read())
                {
                    done = true;
                }
                else if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.LocalName == "Weakness_Catalog" && catalog is not null)
                    {
                        catalog.Version = reader.GetAttribute("Version") ?? string.Empty;
                    }

                    if (reader.LocalName is "Weakness" or "Category" or "View")
                    {
                        var line = (reader as IXmlLineInfo)?.LineNumber ?? 0;
                        var element = XElement.Load(reader.ReadSubtree());
                        read = Entry(element, line);
                    }
                }
            }
            catch (XmlException exception)
            {
                read = new CweRead(null, $"line {exception.LineNumber}: {exception.Message}", Fatal: true);
                done = true;
            }

            if (read is not null)
            {
                yield return read;
            }

            if (done)
            {
                yield break;
            }
        }
    }

    private static CweRead Entry(XElement element, int line)
    {
        var number = (string?)element.Attribute("ID");
        if (number is null || !int.TryParse(number, out _))
        {
            return new CweRead(null, $"line {line}: a {element.Name.LocalName} without a numeric ID");
        }

        var kind = element.Name.LocalName switch
        {
            "Category" => CweKind.Category,
            "View" => CweKind.View,
            _ => CweKind.Weakness,
        };
        var relations = new List<CweRelation>();
        foreach (var related in Children(element, "Related_Weaknesses", "Related_Weakness"))
        {
            if ((string?)related.Attribute("CWE_ID") is { } target)
            {
                relations.Add(new CweRelation((string?)related.Attribute("Nature") ?? "Related", "CWE-" + target, (string?)related.Attribute("View_ID")));
            }
        }

        foreach (var pattern in Children(element, "Related_Attack_Patterns", "Related_Attack_Pattern"))
        {
            if ((string?)pattern.Attribute("CAPEC_ID") is { } capec)
            {
                relations.Add(new CweRelation("RelatedAttackPattern", "CAPEC-" + capec, null));
            }
        }

        foreach (var member in Children(element, "Relationships", "Has_Member").Concat(Children(element, "Members", "Has_Member")))
        {
            if ((string?)member.Attribute("CWE_ID") is { } target)
            {
                relations.Add(new CweRelation("HasMember", "CWE-" + target, (string?)member.Attribute("View_ID")));
            }
        }

        var description = Text(element, "Description") ?? Text(element, "Summary") ?? Text(element, "Objective") ?? string.Empty;
        if (Text(element, "Extended_Description") is { Length: > 0 } extended)
        {
            description += "\n\n" + extended;
        }

        var mapping = element.Elements().FirstOrDefault(e => e.Name.LocalName == "Mapping_Notes");
        return new CweRead(new CweEntry(
            "CWE-" + number,
            kind,
            (string?)element.Attribute("Name") ?? string.Empty,
            (string?)element.Attribute("Status") ?? string.Empty,
            (string?)element.Attribute("Abstraction"),
            description,
            mapping is null ? null : Text(mapping, "Usage"),
            mapping is null ? null : Text(mapping, "Rationale"),
            relations), null);
    }

    private static IEnumerable<XElement> Children(XElement element, string container, string child) =>
        element.Elements().Where(e => e.Name.LocalName == container).SelectMany(c => c.Elements().Where(e => e.Name.LocalName == child));

    /// <summary>The text of a child element, with inner markup (xhtml paragraphs) flattened and whitespace collapsed.</summary>
    private static string? Text(XElement element, string name)
    {
        var child = element.Elements().FirstOrDefault(e => e.Name.LocalName == name);
        if (child is null)
        {
            return null;
        }

        var paragraphs = child.Elements().Any()
            ? child.Elements().Select(e => string.Join(' ', e.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            : [string.Join(' ', child.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))];
        return string.Join("\n\n", paragraphs.Where(p => p.Length > 0));
    }
}
