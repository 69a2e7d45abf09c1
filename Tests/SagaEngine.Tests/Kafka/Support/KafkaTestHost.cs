using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka.Support;

/// <summary>
/// A small host of its own: MassTransit with the test consumers and saga, the Kafka layer with the
/// endpoints a test declares, and the Kafka API, on an in-process test server.
/// </summary>
public sealed class KafkaTestHost : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly string _contentRoot;

    KafkaTestHost(WebApplication app, CapturedLogs logs, string contentRoot)
    {
        _app = app;
        _contentRoot = contentRoot;
        Logs = logs;
        Client = app.GetTestClient();
    }

    public IServiceProvider Services => _app.Services;

    public HttpClient Client { get; }

    /// <summary>Everything the host logged, kept after it has stopped.</summary>
    public CapturedLogs Logs { get; }

    /// <param name="settings">Kafka:… settings on top of the test defaults.</param>
    /// <param name="endpoints">The Kafka endpoints, e.g. k =&gt; k.AddEndpoint("pings", e =&gt; e.Consumer&lt;PingConsumer&gt;()).</param>
    /// <param name="shared">Instances several hosts of one test share (the log, the behaviour).</param>
    /// <param name="database">
    /// A database for the host's dead letters and parked keys (then a failing record parks its key rather than
    /// holding up its partition); none by default.
    /// </param>
    public static async Task<KafkaTestHost> Start(IDictionary<string, string?> settings, Action<KafkaBuilder> endpoints,
        ConsumedLog? log = null, PingBehaviour? behaviour = null, string name = "host", TestDatabase? database = null)
    {
        KafkaBrokerFixture.CreateHostTopics(settings);
        // An empty content root: no appsettings.json, only what the test sets.
        var contentRoot = Directory.CreateTempSubdirectory("kafka-test-host-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = "Test"
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(Defaults);
        builder.Configuration.AddInMemoryCollection(settings);
        if (database is not null)
        {
            builder.Configuration.AddInMemoryCollection(database.Settings);
            // The tables only: nothing these hosts send goes through the outbox.
            builder.Configuration.AddInMemoryCollection([new("Outbox:RelayEnabled", "false")]);
            builder.AddPersistence();
        }

        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(log ?? new ConsumedLog());
        builder.Services.AddSingleton(behaviour ?? new PingBehaviour());
        builder.Services.AddSingleton(new HostName(name));

        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<PingConsumer, PingConsumerDefinition>();
            x.AddConsumer<PingLikeConsumer>();
            x.AddSagaStateMachine<TripStateMachine, TripState>().InMemoryRepository();
            // The bus itself has no endpoints: every message these tests send arrives through Kafka.
            x.UsingInMemory();
        });
        var kafka = builder.AddKafka();
        if (database is not null)
            kafka.StoreDeadLettersInDatabase().ParkFailingKeysInDatabase();
        endpoints(kafka);

        var app = builder.Build();
        app.MapKafkaApi();
        await app.StartAsync();
        return new KafkaTestHost(app, logs, contentRoot);
    }

    /// <summary>Short intervals so tests wait on conditions for milliseconds, not seconds.</summary>
    static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Kafka:FetchWaitMaxMs"] = "10",
        ["Kafka:CommitIntervalMs"] = "100",
        ["Kafka:RetryBackoffMs"] = "100",
        ["Kafka:RetryBackoffMaxMs"] = "400"
    };

    public KafkaReceiveEndpoint Endpoint(string name) =>
        Services.GetRequiredService<KafkaEndpointRegistry>().Running.Single(e => e.Name == name);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_contentRoot, recursive: true);
    }
}
