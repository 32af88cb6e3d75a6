namespace SecForge.Testing;

/// <summary>A way the loopback server misbehaves on one request.</summary>
public enum ServerFaultKind
{
    /// <summary>HTTP 429 with Retry-After.</summary>
    TooManyRequests,

    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>Never answers (until the client gives up).</summary>
    Hang,

    /// <summary>Drops the connection without an answer.</summary>
    ConnectionReset,

    /// <summary>HTTP 200 with a body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>A stream that stops after a few chunks, without a finish reason or [DONE].</summary>
    TruncatedStream,
}

/// <summary>A fault to inject, with the Retry-After a 429 carries.</summary>
public sealed record ServerFault(ServerFaultKind Kind, TimeSpan? RetryAfter = null);
