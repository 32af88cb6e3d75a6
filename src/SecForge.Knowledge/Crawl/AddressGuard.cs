using System.Net;
using System.Net.Sockets;

namespace SecForge.Knowledge.Crawl;

/// <summary>Thrown when a crawl would connect to an address it must not reach.</summary>
public sealed class RefusedAddressException(string message) : HttpRequestException(message);

/// <summary>
/// The crawl's guard against server-side request forgery: checked after DNS resolution, at connect time (so a
/// name that resolves differently later cannot slip through), it refuses loopback, private, link-local, carrier-grade
/// NAT, unique-local and unspecified addresses and the cloud metadata address, unless private addresses are allowed.
/// </summary>
public static class AddressGuard
{
    /// <summary>Why <paramref name="address"/> is refused, or null when it may be reached.</summary>
    public static string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [169, 254, 169, 254] => "cloud metadata",
                [0, ..] => "unspecified",
                [10, ..] => "private",
                [172, >= 16 and <= 31, ..] => "private",
                [192, 168, ..] => "private",
                [169, 254, ..] => "link-local",
                [100, >= 64 and <= 127, ..] => "carrier-grade NAT",
                [>= 224, ..] => "multicast or reserved",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }

        var bytes = address.GetAddressBytes();
        if ((bytes[0] & 0xfe) == 0xfc)
        {
            return "unique-local";
        }

        return address.IsIPv6Multicast ? "multicast" : null;
    }

    /// <summary>A connect callback for <see cref="SocketsHttpHandler.ConnectCallback"/> that applies the guard.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) => async (context, cancellationToken) =>
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        if (!allowPrivate)
        {
            foreach (var address in addresses)
            {
                if (Refusal(address) is { } why)
                {
                    throw new RefusedAddressException($"{context.DnsEndPoint.Host} resolves to {address}, a {why} address (use --allow-private to crawl such hosts)");
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
