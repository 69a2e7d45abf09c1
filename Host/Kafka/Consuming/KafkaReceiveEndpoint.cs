using Confluent.Kafka;
using MassTransit.Transports;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// One Kafka receive endpoint: a member of its consumer group that reads the endpoint's topics and
/// dispatches each record to its MassTransit saga or consumers. Runs from start-up to shutdown.
/// </summary>
public sealed class KafkaReceiveEndpoint(
    KafkaEndpointDefinition definition,
    IOptions<KafkaOptions> options,
    KafkaClientConfigs configs,
    IReceiveEndpointDispatcherFactory dispatcherFactory,
    IKnownMessageTypes knownTypes,
    IFailedRecordHandler failures,
    KafkaEndpointRegistry registry,
    IServiceProvider services,
    ILoggerFactory loggers,
    IMessageSchemas? schemas = null) : BackgroundService
{
    /// <summary>On the embedded broker: how long without a record before the endpoint stops fetching until woken.</summary>
    static readonly TimeSpan SleepWhenIdleAfter = TimeSpan.FromSeconds(1);

    readonly ILogger _logger = loggers.CreateLogger<KafkaReceiveEndpoint>();
    ConsumeLoop? _loop;

    /// <summary>Whether the endpoint has stopped fetching for want of records (embedded broker only).</summary>
    public bool Sleeping => _loop?.Sleeping ?? false;

    public string Name => definition.Name;

    public KafkaEndpointOptions Topology => options.Value.Endpoints[definition.Name];

    public EndpointCounters Counters { get; } = new();

    /// <summary>This member's id, client id and current partitions; empty before it has started.</summary>
    public (string MemberId, string ClientId, IReadOnlyList<TopicPartition> Assignment) Membership =>
        _loop?.Membership ?? ("", "", []);

    /// <summary>This member's partitions and how many records each has not processed yet (refreshed about once a second).</summary>
    public IReadOnlyList<PartitionLag> Lags => _loop?.Lags ?? [];

    /// <summary>Moves this member's partitions to the given offsets, on its consuming thread (a consumer-group reset).</summary>
    internal Task<IReadOnlyDictionary<TopicPartition, long?>> MoveOffsets(IReadOnlyDictionary<TopicPartition, long> targets) =>
        _loop?.MoveOffsets(targets) ?? throw new InvalidOperationException($"Kafka endpoint {Name} is not consuming.");

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Add(this);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        registry.Remove(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var topology = Topology;
        var routes = new DispatchRoutes(definition.Handlers
            .Select(h => (h.CreateDispatcher(dispatcherFactory, definition.DispatcherName(h)), h.ConsumedMessageTypes(services)))
            .ToList());
        _logger.LogDebug("Kafka endpoint {Endpoint} dispatches {MessageTypes}; records of other types are skipped", Name, routes.MessageTypes);
        var processor = new RecordProcessor(Name, topology.Group, routes, new RecordUpcasting(schemas), settings.MaxRecordBytes, knownTypes,
            failures, Counters, _logger);
        // One slot per partition processed at a time: the endpoint's concurrency limit.
        using var slots = new SemaphoreSlim(topology.MaxConcurrentPartitions ?? settings.MaxConcurrentPartitions);

        var loopSettings = new ConsumeLoopSettings(Name, topology.Topics, settings.MaxBufferedRecordsPerPartition,
            TimeSpan.FromMilliseconds(settings.RetryBackoffMs), TimeSpan.FromMilliseconds(settings.RetryBackoffMaxMs),
            configs.IsEmbedded ? SleepWhenIdleAfter : null);
        // Without a store, a failing record holds up its partition instead of only its key.
        var parking = services.GetService<IKeyParkingStore>();
        var released = services.GetRequiredService<ParkedKeySignal>();
        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        using var loop = new ConsumeLoop(
            configs.Consumer(topology.Group, $"sagaengine-{Name}"), loopSettings,
            (partition, report) => new PartitionWorker(partition, processor, slots, Counters, report, _logger,
                parking is null
                    ? null
                    : new PartitionParking(ParkingPartition.Of(topology.Group, partition), Name, parking, released, loopSettings.Backoff, clock, _logger)),
            _logger, loggers.CreateLogger(LibrdkafkaLogging.Category),
            configs.IsEmbedded ? services.GetRequiredService<KafkaAdmin>().EndOffsets : null);

        _loop = loop;
        var produced = services.GetRequiredService<ProducedHere>();
        produced.Produced += loop.Wake;
        try
        {
            _logger.LogInformation("Kafka endpoint {Endpoint} consumes {Topics} in group {Group}", Name, topology.Topics, topology.Group);
            // Polling blocks its thread, so the loop gets a thread of its own rather than a pool thread.
            await Task.Factory.StartNew(() => loop.Run(stoppingToken), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            produced.Produced -= loop.Wake;
            _loop = null;
        }
    }
}
