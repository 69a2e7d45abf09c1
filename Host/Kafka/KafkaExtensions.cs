using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Kafka.Topics;

namespace SagaEngine.Host.Kafka;

public static class KafkaExtensions
{
    /// <summary>
    /// The Kafka integration: settings from <c>Kafka</c> (checked at start-up), the embedded broker when
    /// no cluster is configured, topic creation at start-up and the producer (<see cref="IKafkaProducer"/>).
    /// </summary>
    public static IHostApplicationBuilder AddKafka(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());

        services.TryAddSingleton<KafkaCluster>();
        services.TryAddSingleton<KafkaClientConfigs>();
        services.TryAddSingleton<KafkaAdmin>();
        services.TryAddSingleton<TopicProvisioner>();
        services.TryAddSingleton<IKafkaProducer, KafkaProducer>();

        services.AddHostedService<KafkaStartup>();
        return builder;
    }
}
