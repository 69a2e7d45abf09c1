using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Kafka.GroupReset;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Kafka.Topics;

namespace SagaEngine.Host.Kafka;

public static class KafkaExtensions
{
    /// <summary>
    /// The Kafka integration: settings from <c>Kafka</c> (checked at start-up), the embedded broker when
    /// no cluster is configured, topic creation at start-up, the producer (<see cref="IKafkaProducer"/>)
    /// and monitoring. Add receive endpoints with <see cref="KafkaBuilder.AddEndpoint"/>; call this after
    /// AddMassTransit, whose sagas and consumers the endpoints dispatch to.
    /// </summary>
    public static KafkaBuilder AddKafka(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());

        services.TryAddSingleton<KafkaCluster>();
        services.TryAddSingleton<KafkaClientConfigs>();
        services.TryAddSingleton<KafkaAdmin>();
        services.TryAddSingleton<TopicProvisioner>();
        services.TryAddSingleton<ProducedHere>();
        services.TryAddSingleton<IKafkaProducer, KafkaProducer>();
        services.TryAddSingleton<KafkaRoutes>();
        services.TryAddSingleton<KafkaTopicDirectory>();
        services.TryAddSingleton<KafkaEndpointRegistry>();
        services.TryAddSingleton<KafkaInspector>();
        services.TryAddSingleton<KafkaMetrics>();
        services.TryAddSingleton<ConsumerGroupMembers>();
        services.TryAddSingleton<ConsumerGroupReset>();
        services.TryAddSingleton<IFailedRecordHandler, DeadLetterQueue>();
        services.TryAddSingleton<ParkedKeySignal>();
        services.TryAddSingleton<IKnownMessageTypes, EveryMessageTypeKnown>();
        services.TryAddSingleton<RetentionHolds>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureReceiveEndpoint, RawJsonOnKafkaEndpoints>());

        // Before the endpoints, which are added after it: they need the broker and their topics.
        services.AddHostedService<KafkaStartup>();
        services.AddHostedService<EmbeddedRetention>();
        return new KafkaBuilder(services);
    }
}

public sealed class KafkaBuilder(IServiceCollection services)
{
    /// <summary>
    /// Lists dead letters in the host's database (the <see cref="DbContext"/> it registers, whose model
    /// picks up <see cref="DeadLetterMap"/>), for the dead-letter API and replay. Without it they are
    /// only in their dead-letter topics.
    /// </summary>
    public KafkaBuilder StoreDeadLettersInDatabase()
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeadLetterStore, DbContextDeadLetterStore>());
        services.TryAddScoped<DeadLetterReplay>();
        services.TryAddScoped<HeldKeys>();
        services.TryAddSingleton(TimeProvider.System);
        return this;
    }

    /// <summary>
    /// Parks a failing record's key in the host's database (whose model picks up <see cref="ParkedKeyMap"/> and
    /// <see cref="ParkedRecordMap"/>): the record and its key's later records wait there, in order, while the
    /// partition goes on with the other keys. Without it a failing record holds up its whole partition.
    /// </summary>
    public KafkaBuilder ParkFailingKeysInDatabase()
    {
        services.TryAddSingleton<IKeyParkingStore, DbContextKeyParkingStore>();
        services.TryAddSingleton(TimeProvider.System);
        return this;
    }

    /// <summary>
    /// Refuses to start when a message type an endpoint consumes has no <c>Kafka:PublishTopics</c> entry naming
    /// one of that endpoint's topics (see <see cref="PublishRoutesValidator"/>).
    /// </summary>
    public KafkaBuilder RequirePublishRoutes()
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, PublishRoutesValidator>());
        return this;
    }

    /// <summary>
    /// A receive endpoint named <paramref name="name"/>, reading the topics and consumer group configured
    /// under <c>Kafka:Endpoints:&lt;name&gt;</c> and dispatching each record to the sagas and consumers
    /// given, e.g. <c>e =&gt; e.Saga&lt;OrderState&gt;()</c> or <c>e =&gt; e.Consumer&lt;A&gt;().Consumer&lt;B&gt;()</c>.
    /// The sagas and consumers must be registered with MassTransit as usual; their definitions' retry
    /// and outbox settings apply.
    /// </summary>
    public KafkaBuilder AddEndpoint(string name, Action<KafkaEndpointDefinition> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (services.Any(s => s.ImplementationInstance is KafkaEndpointDefinition existing && existing.Name == name))
            throw new InvalidOperationException($"A Kafka endpoint named '{name}' is already registered.");

        var definition = new KafkaEndpointDefinition(name);
        configure(definition);
        if (definition.Handlers.Count == 0)
            throw new InvalidOperationException($"Kafka endpoint '{name}' dispatches to nothing: add a saga or a consumer.");

        services.AddSingleton(definition);
        // Records are dispatched into the bus's pipelines, and what a handler sends goes through the bus:
        // like MassTransit's own riders, endpoints start only once the bus has (they start after it).
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        // Not AddHostedService: it would keep only one instance of the type, and each endpoint is one.
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<KafkaReceiveEndpoint>(sp, definition));
        return this;
    }
}
