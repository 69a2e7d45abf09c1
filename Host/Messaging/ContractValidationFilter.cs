using System.Reflection;
using MassTransit;
using SagaEngine.Contracts.Validation;
using SagaEngine.Host.Validation;

namespace SagaEngine.Host.Messaging;

/// <summary>
/// Checks every message against its <see cref="ContractRules"/> before anything handles it. It sits at
/// the front of each receive endpoint's pipeline, ahead of retry, the saga repository and the
/// transactional outbox and inbox, so a message that breaks a rule writes, sends and replies nothing:
/// it throws <see cref="InvalidMessageException"/> naming every bad field.
/// </summary>
public sealed class ContractValidationFilter : IFilter<ConsumeContext>
{
    /// <summary>By message type URN (the record's MT-MessageType), a check that reads the message as that type.</summary>
    static readonly Dictionary<string, Func<ConsumeContext, InvalidMessageException?>> Checks =
        ContractRules.Messages.ToDictionary(r => MessageUrn.ForTypeString(r.MessageType), CheckFor);

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        foreach (var messageType in context.SupportedMessageTypes)
            if (Checks.TryGetValue(messageType, out var check) && check(context) is { } invalid)
                throw invalid;
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("contract-validation");

    static Func<ConsumeContext, InvalidMessageException?> CheckFor(IMessageRules rules) =>
        (Func<ConsumeContext, InvalidMessageException?>)typeof(ContractValidationFilter)
            .GetMethod(nameof(CheckOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(rules.MessageType).Invoke(null, [rules])!;

    // The message is read once: MassTransit keeps it on the context for the handler.
    static Func<ConsumeContext, InvalidMessageException?> CheckOf<T>(IMessageRules rules) where T : class =>
        context => context.TryGetMessage<T>(out var message) && rules.Validate(message.Message) is { Count: > 0 } errors
            ? new InvalidMessageException(typeof(T).Name, errors)
            : null;
}

/// <summary>Puts <see cref="ContractValidationFilter"/> first on every receive endpoint, the Kafka endpoints' included.</summary>
sealed class ContractValidationOnEndpoints : IConfigureReceiveEndpoint
{
    public void Configure(string name, IReceiveEndpointConfigurator configurator) => configurator.UseFilter(new ContractValidationFilter());
}
