using System.Text;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Kafka.Producing;

namespace SagaEngine.Host.Api;

/// <summary>One dead letter in a list: where it came from and why it is here.</summary>
public sealed record DeadLetterSummary(
    long Id, string Endpoint, string Group, string Topic, int Partition, long Offset, string? Key, string Fault,
    string? ExceptionType, string Reason, int Attempts, DateTime DeadLetteredAt, string DeadLetterTopic, DateTime? ReplayedAt,
    int? SchemaVersion, DateTime? DiscardedAt = null)
{
    public static DeadLetterSummary From(DeadLetter d) => new(d.Id, d.Endpoint, d.Group, d.Topic, d.Partition, d.Offset, d.Key, d.Fault,
        d.ExceptionType, d.Reason, d.Attempts, DateTime.SpecifyKind(d.DeadLetteredAt, DateTimeKind.Utc), d.DeadLetterTopic,
        Utc(d.ReplayedAt), d.SchemaVersion, Utc(d.DiscardedAt));

    internal static DateTime? Utc(DateTime? at) => at is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;
}

/// <param name="Items">Newest first.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last one.</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterSummary> Items, string? Next);

/// <summary>A header's value as UTF-8 text (bytes that are not UTF-8 show as replacement characters).</summary>
public sealed record DeadLetterHeaderView(string Name, string Value);

/// <summary>
/// One dead letter with its record: headers, and its body as UTF-8 text (null when it had none); and, while
/// any record of its key is parked on its partition, that key and its records.
/// </summary>
public sealed record DeadLetterView(
    DeadLetterSummary DeadLetter, int DeadLetterPartition, long DeadLetterOffset, IReadOnlyList<DeadLetterHeaderView> Headers, string? Body,
    ParkedKeyOfDeadLetter? ParkedKey = null)
{
    public static DeadLetterView From(DeadLetter d, ParkedKeyView? parked) => new(DeadLetterSummary.From(d), d.DeadLetterPartition,
        d.DeadLetterOffset, HeadersOf(d.Headers), d.Body is null ? null : Encoding.UTF8.GetString(d.Body),
        parked is null ? null : ParkedKeyOfDeadLetter.From(d, parked));

    internal static IReadOnlyList<DeadLetterHeaderView> HeadersOf(string stored) =>
        DeadLetterRecordHeaders.Deserialize(stored).Select(h => new DeadLetterHeaderView(h.Name, Encoding.UTF8.GetString(h.Value))).ToList();
}

/// <summary>The dead letter's key while records of it are parked on its partition.</summary>
/// <param name="Key">The key.</param>
/// <param name="HeldByThis">True while the key waits for this dead letter to be replayed or discarded.</param>
/// <param name="State"><c>held</c> (waiting for an operator) or <c>retrying</c> (its first parked record is tried again at <c>RetryAt</c>).</param>
/// <param name="Attempts">Failed deliveries of its first parked record.</param>
/// <param name="RetryAt">When its first parked record is tried next; null while held.</param>
/// <param name="LastError">Why its first parked record failed last.</param>
/// <param name="Records">Its parked records, in the order they will be processed: the records that came after the dead letter's.</param>
public sealed record ParkedKeyOfDeadLetter(string Key, bool HeldByThis, string State, int Attempts, DateTime? RetryAt, string? LastError,
    IReadOnlyList<ParkedRecordView> Records)
{
    public static ParkedKeyOfDeadLetter From(DeadLetter d, ParkedKeyView parked) => new(parked.Key.Key, parked.Key.HeldBy == d.Offset,
        parked.Key.HeldBy is null ? "retrying" : "held", parked.Key.Attempts, DeadLetterSummary.Utc(parked.Key.RetryAt), parked.Key.LastError,
        parked.Records.Select(ParkedRecordView.From).ToList());
}

/// <summary>One parked record: where it was, its message type and id, and when it was parked.</summary>
public sealed record ParkedRecordView(long Offset, string? MessageType, string? MessageId, DateTime ParkedAt)
{
    public static ParkedRecordView From(ParkedRecord r)
    {
        var headers = DeadLetterView.HeadersOf(r.Headers);
        return new ParkedRecordView(r.Offset, headers.LastOrDefault(h => h.Name == KafkaMessageHeaders.MessageType)?.Value,
            headers.LastOrDefault(h => h.Name == KafkaMessageHeaders.MessageId)?.Value, DateTime.SpecifyKind(r.ParkedAt, DateTimeKind.Utc));
    }
}

/// <summary>
/// Where a replayed dead letter went: to a new place at the end of its topic, or, when its key was held
/// behind it, back to its own place in front of the key's parked records (<c>ReleasedFollowers</c> of them).
/// </summary>
public sealed record DeadLetterReplayed(long Id, string Topic, int Partition, long Offset, DateTime ReplayedAt, int? ReleasedFollowers = null);

/// <summary>A dead letter given up; when its key was held behind it, how many parked records of the key were released.</summary>
public sealed record DeadLetterDiscarded(long Id, DateTime DiscardedAt, int? ReleasedFollowers);
