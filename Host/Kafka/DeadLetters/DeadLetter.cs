namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// A record an endpoint dead-lettered, as kept in the host's database for <c>GET /dead-letters</c> and
/// replay. The dead-letter topic holds the same record; this row says where it is and whether it was
/// replayed or discarded. One row per consumer group and original record, however often it was dead-lettered:
/// dead-lettered again after a replay, the row is open again, for the latest time.
/// </summary>
public sealed class DeadLetter
{
    /// <summary>Ascending in the order rows were written; the API's paging cursor.</summary>
    public long Id { get; set; }

    public required string Endpoint { get; set; }
    public required string Group { get; set; }
    public required string Topic { get; set; }
    public int Partition { get; set; }
    public long Offset { get; set; }

    /// <summary>The record's key, null when it had none.</summary>
    public string? Key { get; set; }

    /// <summary>The record's own headers (not the dead-letter ones), in their order: see <see cref="DeadLetterRecordHeaders"/>.</summary>
    public required string Headers { get; set; }

    public byte[]? Body { get; set; }

    /// <summary>The schema version the record stated (1 without a <c>schema-version</c> header); null when the header was not a version.</summary>
    public int? SchemaVersion { get; set; }

    /// <summary>A <see cref="DeadLetterFault"/> name: unreadable, invalid, permanent or attempts-exhausted.</summary>
    public required string Fault { get; set; }

    public string? ExceptionType { get; set; }

    /// <summary>The exception's message, or why the record could not be read.</summary>
    public required string Reason { get; set; }

    public int Attempts { get; set; }
    public DateTime DeadLetteredAt { get; set; }

    /// <summary>Where the dead-letter copy is.</summary>
    public required string DeadLetterTopic { get; set; }
    public int DeadLetterPartition { get; set; }
    public long DeadLetterOffset { get; set; }

    /// <summary>
    /// Set once <c>POST /dead-letters/{id}/replay</c> put the record back: produced to <see cref="Topic"/>, or,
    /// when its key was held behind it, in front of the key's parked records.
    /// </summary>
    public DateTime? ReplayedAt { get; set; }

    /// <summary>Set once <c>POST /dead-letters/{id}/discard</c> gave it up (releasing its key, if held behind it).</summary>
    public DateTime? DiscardedAt { get; set; }
}
