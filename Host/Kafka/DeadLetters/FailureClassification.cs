using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Validation;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Decides whether a failed record is dead-lettered now or read again later. A record that cannot be
/// read, whose message breaks its type's rules, or whose handler threw a permanent exception, never
/// gets better by waiting; any other fault
/// is given <c>MaxDeliveryAttempts</c> attempts of the consume loop.
/// </summary>
public sealed class FailureClassification(IReadOnlyCollection<string> permanentExceptionTypes)
{
    /// <summary>Exceptions that say the message itself is wrong, not the moment: invalid arguments, formats, validation.</summary>
    public static readonly IReadOnlyList<string> DefaultPermanentExceptions =
    [
        "System.ArgumentException",
        "System.FormatException",
        "System.ComponentModel.DataAnnotations.ValidationException"
    ];

    readonly HashSet<string> _permanent = permanentExceptionTypes.ToHashSet(StringComparer.Ordinal);

    /// <returns>Why to dead-letter the record now, or null to read it again later.</returns>
    public DeadLetterFault? Classify(FailedRecord failed, int maxDeliveryAttempts)
    {
        if (failed.Failure == RecordFailure.Unreadable)
            return DeadLetterFault.Unreadable;
        if (failed.Exception is { } invalid && Unwrap(invalid).Any(e => e is InvalidMessageException))
            return DeadLetterFault.Invalid;
        if (failed.Exception is { } exception && IsPermanent(exception))
            return DeadLetterFault.Permanent;
        return failed.Attempt >= maxDeliveryAttempts ? DeadLetterFault.AttemptsExhausted : null;
    }

    /// <summary>
    /// True when the exception, or one it wraps (MassTransit wraps a handler's exception), is of a
    /// listed type or derives from one, so <c>System.ArgumentException</c> covers <c>ArgumentNullException</c>.
    /// </summary>
    public bool IsPermanent(Exception exception) => Unwrap(exception).Any(e => TypeAndBases(e.GetType()).Any(t => _permanent.Contains(t.FullName ?? "")));

    static IEnumerable<Exception> Unwrap(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    pending.Push(inner);
            else if (current.InnerException is { } inner)
                pending.Push(inner);
        }
    }

    static IEnumerable<Type> TypeAndBases(Type? type)
    {
        for (; type is not null; type = type.BaseType)
            yield return type;
    }
}
