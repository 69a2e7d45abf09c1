using System.Data.Common;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore;

/// <summary>The columns every read of whole events selects, and how a row becomes a <see cref="RecordedEvent"/>.</summary>
static class EventRows
{
    public const string Select =
        "SELECT \"Position\", \"StreamId\", \"Version\", \"Type\", \"SchemaVersion\", \"Data\", \"MessageId\", \"CorrelationId\", \"CausationId\", \"TraceParent\", \"RecordedAt\", \"OccurredAt\" FROM "
        + StoredEventMap.Table;

    public static RecordedEvent Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetInt32(4), r.GetString(5),
        new EventMetadata(r.GetGuid(6), StoreConnection.NullableGuid(r, 7), StoreConnection.NullableGuid(r, 8), StoreConnection.NullableString(r, 9),
            StoreConnection.NullableUtc(r, 11)),
        StoreConnection.Utc(r, 10));

    public static async Task<List<RecordedEvent>> ReadAll(DbCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(Read(reader));
        return events;
    }
}
