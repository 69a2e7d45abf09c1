using System.Net;

namespace SagaEngine.Host.Security;

public static class LoopbackClients
{
    /// <summary>
    /// True when the request comes from this machine: a loopback address (an IPv4 one mapped to IPv6
    /// included), or no IP address at all, which only a transport without a network has (a Unix socket,
    /// a named pipe, the in-process test server).
    /// </summary>
    public static bool IsLoopback(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => true,
        { IsIPv4MappedToIPv6: true } mapped => IPAddress.IsLoopback(mapped.MapToIPv4()),
        var address => IPAddress.IsLoopback(address)
    };
}
