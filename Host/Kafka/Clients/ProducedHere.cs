namespace SagaEngine.Host.Kafka.Clients;

/// <summary>
/// Tells this host's consumers that it has just produced records: on the embedded broker an endpoint with
/// nothing to read stops fetching (see <c>ConsumeLoop</c>), and what this host produces wakes it at once
/// rather than at its next look.
/// </summary>
public sealed class ProducedHere
{
    Action[] _listeners = [];

    /// <summary>Calls <paramref name="listener"/> after every produce of this host until the result is disposed.</summary>
    public IDisposable Subscribe(Action listener)
    {
        Change(listeners => [.. listeners, listener]);
        return new Unsubscriber(() => Change(listeners => listeners.Where(l => l != listener).ToArray()));
    }

    public void Notify()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
            listener();
    }

    void Change(Func<Action[], Action[]> change)
    {
        Action[] before, after;
        do
        {
            before = Volatile.Read(ref _listeners);
            after = change(before);
        } while (Interlocked.CompareExchange(ref _listeners, after, before) != before);
    }

    sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                unsubscribe();
        }
    }
}
