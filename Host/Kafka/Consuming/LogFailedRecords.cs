namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// The failure policy until dead-letter topics exist. An unreadable record can never become readable,
/// so it is logged and passed over rather than stopping its partition for good; a record whose
/// processing failed is logged and read again later, and its partition does not move past it.
/// </summary>
public sealed class LogFailedRecords(ILogger<LogFailedRecords> logger) : IFailedRecordHandler
{
    public Task<FailedRecordAction> Handle(FailedRecord failed, CancellationToken cancellationToken)
    {
        var record = failed.Record;
        if (failed.Failure == RecordFailure.Unreadable)
        {
            logger.LogWarning(
                "Kafka endpoint {Endpoint} passed over unreadable record {Topic}[{Partition}]@{Offset} with key {Key}: {Reason}",
                failed.Endpoint, record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, failed.Reason);
            return Task.FromResult(FailedRecordAction.Skip);
        }

        logger.LogError(failed.Exception,
            "Kafka endpoint {Endpoint} could not process record {Topic}[{Partition}]@{Offset} with key {Key} (attempt {Attempt}); " +
            "its partition waits and reads it again: {Reason}",
            failed.Endpoint, record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, failed.Attempt, failed.Reason);
        return Task.FromResult(FailedRecordAction.RetryLater);
    }
}
