using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MassTransit;
using SagaEngine.Host.Validation;

// A saga's or consumer's definition states its endpoint's policy with this: the one place where the order
// flow and the services depend on the host, named in their usings and allowed by the layering specs.
namespace SagaEngine.Host.Messaging.Retry;

public static class RetryConfigurationExtensions
{
    /// <summary>
    /// The engine's retry policy for an endpoint, from <c>Retry:Default</c> and <c>Retry:Endpoints:&lt;name&gt;</c>:
    /// concurrency conflicts are retried at once, transient faults with bounded exponential back-off (a
    /// conflict that keeps recurring gets that back-off after its immediate retries), permanent faults not at all. Configure it
    /// before the outbox, so that every attempt gets a new scope and reads afresh.
    /// </summary>
    /// <param name="endpoint">The receive endpoint (or, in the overload, the consumer) to configure.</param>
    /// <param name="context">Where the <c>Retry</c> settings come from; without them the built-in values apply.</param>
    /// <param name="endpointName">The endpoint's name under <c>Retry:Endpoints</c>.</param>
    /// <param name="alsoTransient">Exception types of the handler's own that mean "try again later".</param>
    public static void UseEngineRetry(this IConsumePipeConfigurator endpoint, IRegistrationContext context, string endpointName,
        params Type[] alsoTransient) =>
        Apply(retry => endpoint.UseMessageRetry(retry), context, endpointName, alsoTransient);

    /// <inheritdoc cref="UseEngineRetry(IConsumePipeConfigurator, IRegistrationContext, string, Type[])"/>
    public static void UseEngineRetry<TConsumer>(this IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context,
        string endpointName, params Type[] alsoTransient)
        where TConsumer : class =>
        Apply(retry => consumer.UseMessageRetry(retry), context, endpointName, alsoTransient);

    static void Apply(Action<Action<IRetryConfigurator>> useMessageRetry, IRegistrationContext context, string endpointName,
        Type[] alsoTransient)
    {
        var options = context.GetService<IOptions<RetryOptions>>()?.Value ?? new RetryOptions();
        var policy = RetryPolicy.For(endpointName, options);

        // Two filters, one per kind of fault (a filter that gave up is not retried by an outer one).
        // A message that breaks its rules stays broken: never retried, whatever else is called transient.
        useMessageRetry(r =>
        {
            r.Ignore<InvalidMessageException>();
            r.Handle<Exception>(e => RetryableFaults.IsTransient(e, alsoTransient));
            r.Intervals(policy.Backoffs().ToArray());
        });
        useMessageRetry(r =>
        {
            r.Ignore<InvalidMessageException>();
            r.Handle<Exception>(RetryableFaults.IsConcurrencyConflict);
            r.Intervals(Enumerable.Repeat(TimeSpan.Zero, policy.ConcurrencyRetries).Concat(policy.Backoffs()).ToArray());
        });
    }
}
