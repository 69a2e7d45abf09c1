namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Decides what becomes of a record that could not be processed (<see cref="DeadLetters.DeadLetterQueue"/>:
/// produce the record to a dead-letter topic, then <see cref="FailedRecordAction.Skip"/>; if that produce
/// fails, <see cref="FailedRecordAction.RetryLater"/>). Called from the record's partition worker, one
/// record at a time per partition; the partition waits for the answer.
/// </summary>
public interface IFailedRecordHandler
{
    Task<FailedRecordAction> Handle(FailedRecord failed, CancellationToken cancellationToken);
}
