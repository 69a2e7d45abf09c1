using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Host.EventStore;

/// <summary>Settings under <c>EventStore</c>.</summary>
public class EventStoreOptions
{
    public const string Section = "EventStore";

    /// <summary>
    /// A snapshot of a stream's state is kept at every multiple of this version (500, 1000, …), so a query
    /// about any time folds at most this many events. 0 keeps none.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "EventStore:SnapshotEvery must be from 0 (no snapshots) to 1000000.")]
    public int SnapshotEvery { get; set; } = 500;
}
