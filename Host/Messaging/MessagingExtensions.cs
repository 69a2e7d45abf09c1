using MassTransit;
using Microsoft.Extensions.Options;
using SagaEngine.Consumers;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;
using SagaEngine.Consumers.Projections;
using SagaEngine.Contracts;
using SagaEngine.Host.Health;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Messaging.Schemas;
using SagaEngine.Host.Schemas;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Persistence.SagaRepository;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Messaging;

public static class MessagingExtensions
{
    /// <summary>The name of the saga's endpoint, in MassTransit and under <c>Kafka:Endpoints</c>.</summary>
    public const string OrderSagaEndpoint = OrderStateDefinition.SagaEndpointName;

    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        var transport = Transport(builder.Configuration);
        builder.Services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetryOptions>, RetryOptionsValidator>();

        builder.Services.AddMassTransit(x =>
        {
            x.AddOrderSaga().DbContextRepository();
            x.AddOrderServices();
            x.UsingInMemory((context, cfg) =>
            {
                cfg.CorrelateContractsByOrderId();
                // With Kafka the bus only hosts the pipelines that Kafka records are dispatched into.
                if (transport == MessageTransport.InMemory)
                    cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddSingleton<IConfigureReceiveEndpoint, ContractValidationOnEndpoints>();
        builder.Services.AddSingleton<MessageTypes>();
        builder.Services.AddSingleton<ContractSchemas>();
        builder.Services.AddSingleton<IMessageSchemas>(sp => sp.GetRequiredService<ContractSchemas>());
        builder.Services.AddSingleton<MessageTopics>();
        // Before AddKafka: a record whose type neither the schema catalog nor a loaded type knows is unreadable.
        builder.Services.AddSingleton<IKnownMessageTypes, KnownMessageTypes>();
        builder.Services.AddOptions<OrderSagaOptions>().BindConfiguration(OrderSagaOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        // A slow payment answers after the saga stopped waiting for it, whatever its timeout is set to.
        builder.Services.AddOptions<PaymentOptions>()
            .PostConfigure<IOptions<OrderSagaOptions>>((payment, saga) => payment.SlowDelay ??= saga.Value.PaymentTimeout * 2);

        if (transport == MessageTransport.InMemory)
        {
            builder.Services.AddSingleton<IOutboxTransport, BusOutboxTransport>();
            return builder;
        }

        builder.AddKafka()
            .StoreDeadLettersInDatabase()
            .ParkFailingKeysInDatabase()
            .RequirePublishRoutes()
            .AddEndpoint(OrderSagaEndpoint, e => e.Saga<OrderState>())
            .AddEndpoint(ServiceEndpoints.Inventory, e => e.Consumer<ReserveInventoryConsumer>().Consumer<ReleaseInventoryConsumer>())
            .AddEndpoint(ServiceEndpoints.Payment, e => e.Consumer<ChargePaymentConsumer>().Consumer<RefundPaymentConsumer>());
        // Rebuilt from the event store's global feed, which keeps every order's events longer than the topics do.
        builder.AddProjections().AddOrderProjections().RebuildFrom<EventStoreHistory>();
        builder.Services.AddSingleton<IOutboxTransport, KafkaOutboxTransport>();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }

    static MessageTransport Transport(IConfiguration configuration)
    {
        var key = $"{MessagingOptions.Section}:{nameof(MessagingOptions.Transport)}";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return MessageTransport.Kafka;
        return Enum.TryParse<MessageTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
            ? transport
            : throw new InvalidOperationException($"{key} must be Kafka or InMemory, not '{value}'.");
    }
}
