using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Messaging;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Tests.Persistence;

/// <summary>Remembers, in order, every message relays hand to the transport (it may be shared by several hosts).</summary>
public sealed class DeliveryRecord
{
    readonly List<OutboxDelivery> _deliveries = [];

    public IReadOnlyList<OutboxDelivery> Deliveries
    {
        get
        {
            lock (_deliveries)
                return _deliveries.ToList();
        }
    }

    public void Add(OutboxDelivery delivery)
    {
        lock (_deliveries)
            _deliveries.Add(delivery);
    }

    /// <summary>Puts the record between the host's relay and its bus.</summary>
    public void Install(IServiceCollection services) =>
        services.AddSingleton<BusOutboxTransport>()
            .AddSingleton<IOutboxTransport>(sp => new RecordingTransport(sp.GetRequiredService<BusOutboxTransport>(), this));

    sealed class RecordingTransport(IOutboxTransport inner, DeliveryRecord record) : IOutboxTransport
    {
        public async Task<IReadOnlyList<OutboxDeliveryResult>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken)
        {
            foreach (var message in messages)
                record.Add(message);
            return await inner.Deliver(messages, cancellationToken);
        }
    }
}
