using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>The consume loop's book-keeping for one assigned partition; touched only by the loop's thread.</summary>
sealed class PartitionState(PartitionWorker worker)
{
    public PartitionWorker Worker { get; } = worker;

    public TopicPartition Partition => Worker.Partition;

    /// <summary>Bumped each time the partition is rewound to a failed record.</summary>
    public int Generation { get; set; }

    /// <summary>Records handed to the worker and not yet reported back.</summary>
    public int Buffered { get; set; }

    public bool PausedForBackpressure { get; set; }

    /// <summary>Set once the loop has checked, after assignment, that the partition is not left paused from before.</summary>
    public bool Resumed { get; set; }

    /// <summary>A record failed; the partition is paused until <see cref="RetryAt"/>, then rewound to <see cref="RetryOffset"/>.</summary>
    public bool Blocked { get; set; }

    public long RetryOffset { get; set; }

    public long RetryAt { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>The next offset to read, as stored for commit: everything before it has been processed.</summary>
    public long? StoredOffset { get; set; }

    /// <summary>The offset of the first record handed to the worker since the partition was assigned.</summary>
    public long? FirstRoutedOffset { get; set; }
}
