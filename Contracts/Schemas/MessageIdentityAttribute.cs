namespace SagaEngine.Contracts.Schemas;

/// <summary>
/// A message's stable identity on the wire and in stores, and the schema version this release writes.
/// The identity never changes with the C# name or namespace; the version goes up whenever the message's
/// JSON shape changes (see docs/schemas.md, "Changing a message").
/// </summary>
/// <param name="name">Lower-case, colon-separated, e.g. <c>sagaengine:order-confirmed</c>; its URN is <c>urn:message:</c> followed by it.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageIdentityAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The schema version of the messages this release writes: 1, 2, 3, … with a catalog entry for each.</summary>
    public int Version { get; init; } = 1;
}
