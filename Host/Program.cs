using SagaEngine.Consumers;
using SagaEngine.Host;
using SagaEngine.Host.Api;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Health;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Messaging;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Security;
using SagaEngine.Host.Telemetry;
using SagaEngine.Sagas;
using Serilog;

if (args is [KafkaBrokerCommand.Name, ..])
    return await KafkaBrokerCommand.Run(args[1..]);
if (args is [HealthCheckCommand.Name, ..])
    return await HealthCheckCommand.Run(args[1..]);

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.AddLogging();
builder.AddPersistence();
builder.Services.AddEventStore();
builder.Services.AddOrderServiceSettings();
builder.Services.AddOrderStream();
builder.AddMessaging();
builder.AddApi();
builder.AddSecurity();
builder.AddHealth();
builder.AddTelemetry();

var app = builder.Build();

app.UseSerilogRequestLogging();
app.MapApi();
app.MapHealth();
app.MapTelemetry();

await app.RunAsync();
return 0;

public partial class Program;
