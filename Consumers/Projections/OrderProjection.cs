using SagaEngine.Host.Projections;

namespace SagaEngine.Consumers.Projections;

/// <summary>
/// A read model of the order events: it reads every one of them (see <see cref="OrderEvents"/>), one stream
/// per order, checked by the contracts' rules. A projection of orders states only its name, its tables and
/// how a batch changes them.
/// </summary>
public abstract class OrderProjection : IProjection
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<string> Tables { get; }

    public IReadOnlyCollection<Type> MessageTypes => OrderEvents.All;

    public EventStream? StreamOf(object message) => OrderEvents.StreamOf(message);

    public IReadOnlyDictionary<string, string[]> Invalid(object message) => OrderEvents.Invalid(message);

    public abstract Task Apply(ProjectionBatch batch, CancellationToken cancellationToken);
}
