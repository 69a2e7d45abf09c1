namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>What became of one delivery of a record.</summary>
/// <param name="Outcome">Done with, dead-lettered with its key held behind it, or to be tried again.</param>
/// <param name="Error">Why it was not simply done with.</param>
readonly record struct RecordResult(RecordResultKind Outcome, string? Error)
{
    public static readonly RecordResult Done = new(RecordResultKind.Done, null);

    public static RecordResult KeyHeld(string error) => new(RecordResultKind.KeyHeld, error);

    public static RecordResult TryAgain(string error) => new(RecordResultKind.TryAgain, error);
}

enum RecordResultKind
{
    /// <summary>Processed, skipped (no handler for its type) or dead-lettered: nothing more to do.</summary>
    Done,

    /// <summary>Dead-lettered, and its key's later records must wait behind it until an operator releases it.</summary>
    KeyHeld,

    /// <summary>It failed and has deliveries left, or could not be dead-lettered: it must be tried again.</summary>
    TryAgain
}
