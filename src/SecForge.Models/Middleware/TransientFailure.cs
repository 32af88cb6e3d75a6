using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace SecForge.Models.Middleware;

/// <summary>What the retry policy makes of a failed attempt.</summary>
/// <param name="IsTransient">Worth trying again: throttling, server errors, timeouts, dropped connections, garbled replies.</param>
/// <param name="Reason">A short description for logs and failure records.</param>
/// <param name="StatusCode">The HTTP status, when there was an answer.</param>
/// <param name="RetryAfter">The server's Retry-After, when it sent one.</param>
/// <param name="IsConnectionFailure">No connection could be made at all (refused, unreachable, name not resolved, connect timeout).</param>
public readonly record struct TransientFailure(bool IsTransient, string Reason, int? StatusCode = null, TimeSpan? RetryAfter = null, bool IsConnectionFailure = false)
{
    /// <summary>True for HTTP 429.</summary>
    public bool IsThrottle => StatusCode == 429;

    /// <summary>Classifies <paramref name="exception"/>; <paramref name="callerToken"/> tells a caller's cancellation from a timeout.</summary>
    public static TransientFailure Classify(Exception exception, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case ModelHttpException http:
                return FromStatus(http.StatusCode, http.Message, http.RetryAfter);
            case ClientResultException result when result.Status != 0:
                return FromStatus(result.Status, FirstLine(result.Message), ReadRetryAfter(result));
            case ClientResultException result:
                return new TransientFailure(true, $"connection failed: {FirstLine(result.InnerException?.Message ?? result.Message)}", IsConnectionFailure: CannotConnect(result));
            case TimeoutException timeout:
                return new TransientFailure(true, timeout.Message);
            case OperationCanceledException when !callerToken.IsCancellationRequested:
                return new TransientFailure(true, "the request was cancelled by the connection (timeout)");
            case HttpRequestException request:
                return new TransientFailure(true, $"connection failed: {FirstLine(request.Message)}", IsConnectionFailure: CannotConnect(request));
            case IOException or SocketException:
                return new TransientFailure(true, $"connection failed: {FirstLine(exception.Message)}", IsConnectionFailure: CannotConnect(exception));
            case JsonException or FormatException:
                return new TransientFailure(true, $"malformed reply: {FirstLine(exception.Message)}");
            case InvalidOperationException when exception.InnerException is JsonException or IOException or HttpRequestException:
                return new TransientFailure(true, $"malformed reply: {FirstLine(exception.Message)}");
            default:
                return new TransientFailure(false, FirstLine(exception.Message));
        }
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says no connection could be made at all.</summary>
    public static bool CannotConnect(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    return true;
                case SocketException socket when socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable
                    or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TryAgain or SocketError.TimedOut or SocketError.HostDown:
                    return true;
            }
        }

        return false;
    }

    private static TransientFailure FromStatus(int status, string message, TimeSpan? retryAfter)
    {
        var transient = status is 408 or 409 or 425 or 429 or >= 500;
        return new TransientFailure(transient, $"HTTP {status}: {FirstLine(message)}", status, retryAfter);
    }

    /// <summary>Parses a Retry-After header: delta-seconds or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - DateTimeOffset.UtcNow;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan? ReadRetryAfter(ClientResultException exception)
    {
        var response = exception.GetRawResponse();
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var milliseconds) &&
            double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return response.Headers.TryGetValue("Retry-After", out var value) ? ParseRetryAfter(value) : null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? message : message[..end];
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
