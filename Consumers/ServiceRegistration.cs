using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;

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

    /// <summary>The services' settings, checked at start-up, and the stock they start with.</summary>
    public static IServiceCollection AddOrderServiceSettings(this IServiceCollection services)
    {
        services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<StockSeeder>();
        return services;
    }
}
