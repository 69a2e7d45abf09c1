using SagaEngine.Consumers;
using SagaEngine.Host;
using SagaEngine.Host.Api;
using SagaEngine.Host.Messaging;
using SagaEngine.Host.Persistence;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.AddLogging();
builder.AddPersistence();
builder.Services.AddOrderServiceSettings();
builder.AddMessaging();
builder.AddApi();

var app = builder.Build();

app.UseSerilogRequestLogging();
app.MapApi();

await app.RunAsync();

public partial class Program;
