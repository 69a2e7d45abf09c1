namespace SagaEngine.EventSourcing;

/// <summary>
/// How one category of streams folds into its state: a pure <see cref="Apply"/> per event, from
/// <see cref="Initial"/>. Temporal queries, snapshots, rebuilds and checks all fold with it, so it must
/// depend on nothing but its arguments.
/// </summary>
public abstract class StreamFold<TState> : IStreamFold where TState : class
{
    /// <summary>The stream ids' prefix (see <see cref="StreamIds"/>).</summary>
    public abstract string Category { get; }

    /// <summary>
    /// The version of <typeparamref name="TState"/>'s shape as snapshots store it. Raise it when the state
    /// changes shape or meaning: snapshots of an older version are then ignored and written again.
    /// </summary>
    public virtual int StateVersion => 1;

    /// <summary>The event types this category's streams hold.</summary>
    public abstract IReadOnlyList<EventType> EventTypes { get; }

    /// <summary>The state of a stream before its first event.</summary>
    public abstract TState Initial { get; }

    /// <summary>The state after <paramref name="event"/>. Events this fold does not know change nothing.</summary>
    public abstract TState Apply(TState state, object @event);

    Type IStreamFold.StateType => typeof(TState);

    object IStreamFold.Initial => Initial;

    object IStreamFold.Apply(object state, object @event) => Apply((TState)state, @event);
}

/// <summary>A fold without its state's type, for the generic machinery around it.</summary>
public interface IStreamFold
{
    string Category { get; }

    int StateVersion { get; }

    IReadOnlyList<EventType> EventTypes { get; }

    Type StateType { get; }

    object Initial { get; }

    object Apply(object state, object @event);
}
