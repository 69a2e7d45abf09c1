namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>Where dead letters are listed once their dead-letter produce was acknowledged.</summary>
public interface IDeadLetterStore
{
    /// <summary>
    /// Adds the row; one that is already there (same group, topic, partition, offset) is left as it is, unless
    /// it was replayed or discarded: the record was dead-lettered again, and the row is open again for that.
    /// </summary>
    Task Add(DeadLetter deadLetter, CancellationToken cancellationToken);
}
