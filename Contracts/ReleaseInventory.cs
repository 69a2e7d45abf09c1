using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Compensation: put back whatever the order reserved.</summary>
/// <remarks>
/// <c>ReplySequence</c>: the sequence number the reply to this command takes (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:release-inventory", Version = 2)]
public record ReleaseInventory(Guid OrderId, int? ReplySequence = null);
