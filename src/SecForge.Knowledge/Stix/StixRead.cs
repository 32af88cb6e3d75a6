using System.Text.Json;

namespace SecForge.Knowledge.Stix;

/// <summary>
/// One entry of a STIX bundle's <c>objects</c> list: the object, or why it could not be read. <see cref="Index"/>
/// counts from 0 in the list; a failure of the whole file (not JSON, no <c>objects</c> list, truncated) has the
/// index of the next object it would have read and <see cref="Fatal"/> set.
/// </summary>
public sealed record StixRead(long Index, JsonElement? Object, string? Error, bool Fatal = false)
{
    public bool Ok => Object is not null;
}
