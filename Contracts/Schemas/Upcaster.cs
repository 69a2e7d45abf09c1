using System.Text.Json.Nodes;

namespace SagaEngine.Contracts.Schemas;

/// <summary>
/// One step of a message's upcasting chain: turns the JSON body of version <see cref="From"/> into
/// version <see cref="From"/> + 1. Steps are pure functions of the body; they run before a record is
/// deserialized, when a dead letter is replayed and when stored events are read.
/// </summary>
public interface IUpcaster
{
    Type MessageType { get; }

    int From { get; }

    /// <summary>Returns the body at the next version; may change and return the node it was given.</summary>
    JsonObject Upcast(JsonObject message);
}

/// <inheritdoc cref="IUpcaster"/>
public abstract class Upcaster<TMessage>(int from) : IUpcaster where TMessage : class
{
    public Type MessageType => typeof(TMessage);

    public int From { get; } = from;

    public abstract JsonObject Upcast(JsonObject message);
}
