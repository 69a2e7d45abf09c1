using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SagaEngine.Tests.Support;

/// <summary>
/// Lets a test choose the client address the host sees, per request: the in-process test server has
/// no network, so a request says where it comes from in <see cref="Header"/>, read before anything else.
/// </summary>
public sealed class ClientAddresses : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header] is [{ } address])
                context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return nextMiddleware(context);
        });
        next(app);
    };
}

public static class ClientAddressExtensions
{
    public static SagaEngineFactory WithClientAddresses(this SagaEngineFactory host) =>
        host.WithServices(s => s.AddSingleton<IStartupFilter, ClientAddresses>());

    /// <summary>A request from <paramref name="address"/>, with an operator key when one is given.</summary>
    public static HttpRequestMessage From(this HttpRequestMessage request, string address)
    {
        request.Headers.Add(ClientAddresses.Header, address);
        return request;
    }

    public static HttpRequestMessage WithKey(this HttpRequestMessage request, string? key)
    {
        if (key is not null)
            request.Headers.Authorization = new("Bearer", key);
        return request;
    }
}
