using SecForge.Core.Running;

namespace SecForge.Core.Tests.Running;

public sealed class CircuitBreakerTests
{
    [Fact]
    public void ItOpensAfterConsecutiveFailuresOnly_AndStaysOpen()
    {
        using var breaker = new CircuitBreaker("http://127.0.0.1:9/v1", threshold: 3);
        Assert.False(breaker.RecordFailure("connection refused"));
        Assert.False(breaker.RecordFailure("connection refused"));
        breaker.RecordSuccess();
        Assert.Equal(0, breaker.ConsecutiveFailures);
        Assert.False(breaker.RecordFailure("connection refused"));
        Assert.False(breaker.RecordFailure("connection refused"));
        Assert.False(breaker.Opened.IsCancellationRequested);
        Assert.True(breaker.RecordFailure("connection refused"));
        Assert.True(breaker.IsOpen);
        Assert.True(breaker.Opened.IsCancellationRequested);
        breaker.RecordSuccess();
        var error = Assert.Throws<EndpointUnreachableException>(breaker.ThrowIfOpen);
        Assert.Equal("http://127.0.0.1:9/v1", error.Endpoint);
        Assert.Contains("3 connection attempts in a row failed (connection refused)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningAtOnce_GivesThePreflightsReason()
    {
        using var breaker = new CircuitBreaker("http://127.0.0.1:9/v1");
        breaker.ThrowIfOpen();
        breaker.Open("connection refused");
        Assert.Equal("http://127.0.0.1:9/v1 is unreachable: connection refused", Assert.Throws<EndpointUnreachableException>(breaker.ThrowIfOpen).Message);
    }
}
