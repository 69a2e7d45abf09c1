using System.Text;
using SagaEngine.Host.Kafka.DeadLetters;

namespace SagaEngine.Host.Api;

/// <summary>One dead letter in a list: where it came from and why it is here.</summary>
public sealed record DeadLetterSummary(
    long Id, string Endpoint, string Group, string Topic, int Partition, long Offset, string? Key, string Fault,
    string? ExceptionType, string Reason, int Attempts, DateTime DeadLetteredAt, string DeadLetterTopic, DateTime? ReplayedAt,
    int? SchemaVersion)
{
    public static DeadLetterSummary From(DeadLetter d) => new(d.Id, d.Endpoint, d.Group, d.Topic, d.Partition, d.Offset, d.Key, d.Fault,
        d.ExceptionType, d.Reason, d.Attempts, DateTime.SpecifyKind(d.DeadLetteredAt, DateTimeKind.Utc), d.DeadLetterTopic,
        d.ReplayedAt is { } replayed ? DateTime.SpecifyKind(replayed, DateTimeKind.Utc) : null, d.SchemaVersion);
}

/// <param name="Items">Newest first.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last one.</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterSummary> Items, string? Next);

/// <summary>A header's value as UTF-8 text (bytes that are not UTF-8 show as replacement characters).</summary>
public sealed record DeadLetterHeaderView(string Name, string Value);

/// <summary>One dead letter with its record: headers, and its body as UTF-8 text (null when it had none).</summary>
public sealed record DeadLetterView(
    DeadLetterSummary DeadLetter, int DeadLetterPartition, long DeadLetterOffset, IReadOnlyList<DeadLetterHeaderView> Headers, string? Body)
{
    public static DeadLetterView From(DeadLetter d) => new(DeadLetterSummary.From(d), d.DeadLetterPartition, d.DeadLetterOffset,
        DeadLetterRecordHeaders.Deserialize(d.Headers).Select(h => new DeadLetterHeaderView(h.Name, Encoding.UTF8.GetString(h.Value))).ToList(),
        d.Body is null ? null : Encoding.UTF8.GetString(d.Body));
}

/// <summary>Where a replayed dead letter went.</summary>
public sealed record DeadLetterReplayed(long Id, string Topic, int Partition, long Offset, DateTime ReplayedAt);
