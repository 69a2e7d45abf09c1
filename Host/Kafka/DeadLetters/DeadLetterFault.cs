namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>Why a record was dead-lettered.</summary>
public enum DeadLetterFault
{
    /// <summary>It cannot be read: no or no valid message type header, too large, not JSON, or not the JSON of its type.</summary>
    Unreadable,

    /// <summary>It breaks the rules of its message type (an id missing, a quantity out of range, …): its reason names every bad field.</summary>
    Invalid,

    /// <summary>Its handler threw an exception classified as permanent (<c>Kafka:PermanentExceptions</c>): trying again cannot help.</summary>
    Permanent,

    /// <summary>Its handler kept failing for <c>Kafka:MaxDeliveryAttempts</c> attempts.</summary>
    AttemptsExhausted
}

public static class DeadLetterFaults
{
    /// <summary>The value of the <see cref="DeadLetterHeaders.Fault"/> header and of the store's fault column.</summary>
    public static string Name(this DeadLetterFault fault) => fault switch
    {
        DeadLetterFault.Unreadable => "unreadable",
        DeadLetterFault.Invalid => "invalid",
        DeadLetterFault.Permanent => "permanent",
        _ => "attempts-exhausted"
    };

    /// <summary>
    /// Whether the record's key waits behind it. A record that was read and handled, and failed, is one of
    /// its key's messages: what follows it must not overtake it. One that could not even be read is no
    /// message of its key (anyone can produce a record with any key), and must not stall that key.
    /// </summary>
    public static bool HoldsKey(this DeadLetterFault fault) => fault is DeadLetterFault.Permanent or DeadLetterFault.AttemptsExhausted;
}
