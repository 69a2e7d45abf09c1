namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// Work that will read a topic back from an offset it noted earlier (a projection rebuild catching up
/// from where the live version stood) holds the embedded broker's retention while it runs, since the
/// consumer groups' committed offsets, which retention otherwise waits for, no longer speak for it.
/// </summary>
public sealed class RetentionHolds
{
    int _open;

    public bool AnyOpen => Volatile.Read(ref _open) > 0;

    /// <summary>Nothing is dropped until the returned hold is disposed.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _open);
        return new Releaser(this);
    }

    sealed class Releaser(RetentionHolds holds) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Interlocked.Decrement(ref holds._open);
        }
    }
}
