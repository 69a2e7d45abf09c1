namespace SagaEngine.Host.EventStore;

/// <summary>
/// A stream's folded state as of a time: the version of its last event folded, when that event was
/// recorded, and how the answer was reached (the snapshot it started from, 0 for none, and how many
/// events it folded after it).
/// </summary>
public sealed record StreamState<TState>(TState State, long Version, DateTime RecordedAt, long FromSnapshot, int EventsFolded);
