using MassTransit;
using MassTransit.Configuration;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// The message types a saga or consumer consumes, as MassTransit itself works them out when it connects
/// the handler to a receive pipeline: a consumer's <c>IConsumer&lt;T&gt;</c> conventions, a state machine's
/// correlated events, a plain saga's <c>InitiatedBy</c> / <c>Orchestrates</c> / <c>Observes</c> interfaces.
/// </summary>
static class ConsumedMessageTypes
{
    public static IReadOnlyList<Type> OfConsumer<TConsumer>(IServiceProvider services) where TConsumer : class, IConsumer =>
        ConsumerMetadataCache<TConsumer>.ConsumerTypes.Select(t => t.MessageType).Distinct().ToList();

    public static IReadOnlyList<Type> OfSaga<TSaga>(IServiceProvider services) where TSaga : class, ISaga
    {
        if (typeof(SagaStateMachineInstance).IsAssignableFrom(typeof(TSaga)))
            return (IReadOnlyList<Type>)typeof(ConsumedMessageTypes)
                .GetMethod(nameof(OfStateMachine), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(typeof(TSaga)).Invoke(null, [services])!;

        return SagaMetadataCache<TSaga>.InitiatedByTypes
            .Concat(SagaMetadataCache<TSaga>.OrchestratesTypes)
            .Concat(SagaMetadataCache<TSaga>.ObservesTypes)
            .Concat(SagaMetadataCache<TSaga>.InitiatedByOrOrchestratesTypes)
            .Select(t => t.MessageType).Distinct().ToList();
    }

    /// <summary>The state machine's events that carry a message: MassTransit connects exactly those (one correlation each).</summary>
    static IReadOnlyList<Type> OfStateMachine<TInstance>(IServiceProvider services) where TInstance : class, SagaStateMachineInstance =>
        services.GetRequiredService<SagaStateMachine<TInstance>>().Correlations.Select(c => c.DataType).Distinct().ToList();
}
