using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>Why a record could not be processed.</summary>
public enum RecordFailure
{
    /// <summary>It can never be processed as it is: no or no valid message type header, no body, a body over Kafka:MaxRecordBytes, or a body that is not the JSON of its type.</summary>
    Unreadable,

    /// <summary>Its handler threw, after the endpoint's own retry policy had run; another attempt may succeed.</summary>
    ProcessingFailed
}

/// <summary>What happens to a failed record's partition.</summary>
public enum FailedRecordAction
{
    /// <summary>Its offset is not stored; the partition waits (with back-off) and then reads this record again.</summary>
    RetryLater,

    /// <summary>The record has been dealt with elsewhere (logged, dead-lettered): its offset is stored and the partition moves on.</summary>
    Skip,

    /// <summary>
    /// As <see cref="Skip"/>, and the record's key is held: where the endpoint parks keys, its later records
    /// on the partition are parked behind it until an operator replays or discards the dead letter, so they
    /// are never processed before it. Where it does not, the same as <see cref="Skip"/>.
    /// </summary>
    SkipAndHoldKey
}

/// <summary>A record an endpoint could not process, with everything a dead-letter topic would need to keep.</summary>
public sealed record FailedRecord(
    string Endpoint,
    string Group,
    ConsumeResult<string, byte[]> Record,
    RecordFailure Failure,
    string Reason,
    Exception? Exception,
    int Attempt);
