using SagaEngine.Consumers;
using SagaEngine.Host;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Messaging;
using SagaEngine.Host.Persistence;
using Serilog;

if (args is [KafkaBrokerCommand.Name, ..])
    return await KafkaBrokerCommand.Run(args[1..]);

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.AddLogging();
builder.AddPersistence();
builder.Services.AddOrderServiceSettings();
builder.AddMessaging();
builder.AddKafka();
builder.AddApi();

var app = builder.Build();

app.UseSerilogRequestLogging();
app.MapApi();

await app.InitializeDatabaseAsync();
await app.RunAsync();
return 0;

public partial class Program;
