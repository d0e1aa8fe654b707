using System.Net;
using System.Net.Sockets;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// The SSRF guard. A webhook URL is checked twice: when it is saved (scheme, shape, an IP-literal or <c>localhost</c>
/// host) and at every connection (<see cref="ConnectAsync"/>, the sockets handler's ConnectCallback): the host is
/// resolved there and every address it resolves to must be public, so a name that later resolves to an internal
/// address (DNS rebinding) is refused too. Redirects are not followed and proxies are not used (both would bypass it).
/// </summary>
public static class WebhookUrlGuard
{
    /// <summary>Why an address is refused, or null when it is a public unicast address (or loopback while allowed).</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address))
            return allowLoopback ? null : "a loopback address";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return (b[0], b[1]) switch
            {
                (0, _) => "an unspecified address (0.0.0.0/8)",
                (10, _) => "a private address (10.0.0.0/8)",
                (100, >= 64 and <= 127) => "a shared address (100.64.0.0/10)",
                (169, 254) => "a link-local address (169.254.0.0/16)",
                (172, >= 16 and <= 31) => "a private address (172.16.0.0/12)",
                (192, 168) => "a private address (192.168.0.0/16)",
                (192, 0) when b[2] == 0 => "a special-purpose address (192.0.0.0/24)",
                (198, 18 or 19) => "a benchmarking address (198.18.0.0/15)",
                (>= 224, _) => "a multicast or reserved address (224.0.0.0/3)",
                _ => null,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
                return "an unspecified address (::)";
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC)
                return "a unique-local address (fc00::/7)";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
                return "a link-local or site-local address (fe80::/10, fec0::/10)";
            if (address.IsIPv6Multicast)
                return "a multicast address (ff00::/8)";
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address: judge that one.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0))
                return Refusal(new IPAddress(b[12..16]), allowLoopback);
            if (b[0] == 0x20 && b[1] == 0x02)
                return Refusal(new IPAddress(b[2..6]), allowLoopback);
            return null;
        }
        return "not an IP address";
    }

    /// <summary>
    /// The save-time check: an absolute http or https URL without user info, whose host, when it is an IP literal or
    /// <c>localhost</c>, is allowed. Names are resolved at connection time, where every delivery is checked.
    /// </summary>
    public static Uri Validate(string? url, bool allowLoopback)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > WebhookSubscription.MaxUrlLength)
            throw new WebhookUrlInvalidException($"A webhook URL is an absolute http(s) URL of at most {WebhookSubscription.MaxUrlLength} characters.");
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new WebhookUrlInvalidException("A webhook URL must be an absolute http or https URL.");
        if (uri.UserInfo.Length > 0)
            throw new WebhookUrlInvalidException("A webhook URL must not carry user info (put credentials in the path or rely on the signature).");
        if (uri.Fragment.Length > 0)
            throw new WebhookUrlInvalidException("A webhook URL must not have a fragment.");
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Length == 0)
            throw new WebhookUrlInvalidException("A webhook URL needs a host.");
        if (IsLocalhostName(host))
        {
            if (!allowLoopback)
                throw new WebhookUrlForbiddenException($"'{host}' is a loopback host; webhooks go to public addresses only.");
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && Refusal(ip, allowLoopback) is { } why)
            throw new WebhookUrlForbiddenException($"The webhook host {host} is {why}; webhooks go to public addresses only.");
        return uri;
    }

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The connect-time check: resolves the host, refuses the connection when ANY of its addresses is refused (a name
    /// mixing public and internal addresses is refused as a whole), then connects to the allowed addresses in turn.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowLoopback, CancellationToken ct)
    {
        var host = endPoint.Host.TrimEnd('.');
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
            throw new WebhookAddressForbiddenException($"{host} resolves to no address.");
        foreach (var address in addresses)
        {
            if (Refusal(address, allowLoopback) is { } why)
                throw new WebhookAddressForbiddenException($"{host} resolves to {address}, {why}: refused.");
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}

/// <summary>Thrown at connection time when the target resolves to a refused address (recorded as the delivery's error).</summary>
public sealed class WebhookAddressForbiddenException(string message) : IOException(message);
