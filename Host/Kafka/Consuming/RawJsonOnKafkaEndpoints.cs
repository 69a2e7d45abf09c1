using MassTransit;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Makes the receive pipelines MassTransit builds for Kafka endpoints read records as raw JSON, typed by
/// their MT-MessageType header, without changing how the bus's own endpoints read their messages.
/// MassTransit applies every registered <see cref="IConfigureReceiveEndpoint"/> when it builds a pipeline.
/// </summary>
sealed class RawJsonOnKafkaEndpoints(IEnumerable<KafkaEndpointDefinition> endpoints) : IConfigureReceiveEndpoint
{
    readonly HashSet<string> _names = endpoints.SelectMany(e => e.Handlers.Select(e.DispatcherName)).ToHashSet();

    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        if (_names.Contains(name))
            configurator.UseRawJsonDeserializer(RawSerializerOptions.Default, isDefault: true);
    }
}
