using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// The bus outbox: outside a consumer (an HTTP request, say) what is published or sent through the
/// scope's <see cref="IPublishEndpoint"/> or <see cref="ISendEndpointProvider"/> becomes an outbox row
/// of the scope's DbContext. The caller's own <c>SaveChangesAsync</c> commits it with its other changes.
/// </summary>
public class DbContextScopedBusContext(IBus bus, OutboxWriter writer, IClientFactory clientFactory, IServiceProvider provider)
    : ScopedBusContext, OutboxSendContext
{
    DbContext? _db;
    IPublishEndpoint? _publishEndpoint;
    ISendEndpointProvider? _sendEndpointProvider;
    IScopedClientFactory? _clientFactory;

    public ISendEndpointProvider SendEndpointProvider =>
        _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint =>
        _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    /// <summary>Requests wait for a response, which an outbox cannot give: they go to the bus directly.</summary>
    public IScopedClientFactory ClientFactory =>
        _clientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(clientFactory, provider)), null);

    public Task AddSend<T>(SendContext<T> context) where T : class
    {
        // Resolved on first use, so that scopes that never publish never open a DbContext for it.
        _db ??= provider.GetRequiredService<DbContext>();
        writer.Add(_db, context);
        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}
