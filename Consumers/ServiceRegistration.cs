using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers;

public static class ServiceRegistration
{
    /// <summary>The inventory and payment services' consumers, each on its own endpoint.</summary>
    public static IBusRegistrationConfigurator AddOrderServices(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReserveInventoryConsumer, ReserveInventoryConsumerDefinition>();
        bus.AddConsumer<ReleaseInventoryConsumer, ReleaseInventoryConsumerDefinition>();
        bus.AddConsumer<ChargePaymentConsumer, ChargePaymentConsumerDefinition>();
        bus.AddConsumer<RefundPaymentConsumer, RefundPaymentConsumerDefinition>();
        bus.TryAddSingleton<FlakyProviderAttempts>();
        return bus;
    }

    /// <summary>
    /// The services' settings, checked at start-up, the stock they start with, and their event-sourced
    /// state: the SKU and account streams' folds and their inline projections (the stock and account rows).
    /// </summary>
    public static IServiceCollection AddOrderServiceSettings(this IServiceCollection services)
    {
        services.AddSingleton<IStreamFold>(StockFold.Instance);
        services.AddSingleton<IStreamFold>(AccountFold.Instance);
        services.AddScoped<StockRows>();
        services.AddScoped<StockReceipts>();
        services.AddScoped<AccountRows>();
        services.AddScoped<PaymentAccounts>();
        services.AddScoped<IInlineProjection, StockProjection>();
        services.AddScoped<IInlineProjection, AccountProjection>();
        services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<StockSeeder>();
        return services;
    }
}
