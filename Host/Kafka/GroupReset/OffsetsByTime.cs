using Confluent.Kafka;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>
/// The offset of each partition's first record at or after a time, through the broker's offsets-for-times.
/// A broker that cannot look offsets up by time (the embedded broker answers "none" for every time) is
/// caught by reading the partition's last record: if that one is at or after the time, the broker did not
/// know, and the offset is found by a binary search over the records' timestamps instead.
/// </summary>
public sealed class OffsetsByTime(KafkaClientConfigs configs, ILogger logger) : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    readonly IConsumer<byte[], byte[]> _reader = new ConsumerBuilder<byte[], byte[]>(Config(configs))
        .SetLogHandler((_, m) => LibrdkafkaLogging.Log(logger, m))
        .Build();

    static ConsumerConfig Config(KafkaClientConfigs configs)
    {
        var config = configs.Consumer("sagaengine-offsets-by-time", "sagaengine-offsets-by-time");
        config.EnableAutoCommit = false;
        return config;
    }

    public long OffsetFor(TopicPartition partition, DateTime utc, WatermarkOffsets watermarks)
    {
        var low = watermarks.Low.Value;
        var high = watermarks.High.Value;
        if (high <= low)
            return high;
        var timestamp = new Timestamp(utc, TimestampType.CreateTime);
        var answer = _reader.OffsetsForTimes([new TopicPartitionTimestamp(partition, timestamp)], Timeout).Single().Offset.Value;
        if (answer >= 0)
            return answer;

        // "None at or after that time": true when the last record is older.
        if (TimestampAt(partition, high - 1) is not { } last || last.Timestamp < timestamp.UnixTimestampMs)
            return high;
        return Search(partition, low, high, timestamp.UnixTimestampMs);
    }

    /// <summary>The first offset in [low, high) whose record's timestamp is at or after the time.</summary>
    long Search(TopicPartition partition, long low, long high, long unixMs)
    {
        var found = high;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (TimestampAt(partition, middle) is not { } record || record.Offset >= found)
            {
                high = middle;
                continue;
            }
            if (record.Timestamp >= unixMs)
            {
                found = record.Offset;
                high = middle;
            }
            else
                low = record.Offset + 1;
        }
        return found;
    }

    /// <summary>The first record at or after <paramref name="offset"/>: its offset and timestamp.</summary>
    (long Offset, long Timestamp)? TimestampAt(TopicPartition partition, long offset)
    {
        _reader.Assign(new TopicPartitionOffset(partition, offset));
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
            if (_reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
                return (record.Offset.Value, record.Message.Timestamp.UnixTimestampMs);
        return null;
    }

    public void Dispose()
    {
        _reader.Close();
        _reader.Dispose();
    }
}
