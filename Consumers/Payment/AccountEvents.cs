namespace SagaEngine.Consumers.Payment;

// The events of a customer's stream (account-{customerId}): every charge, decline and refund of their orders.

/// <summary>The customer's order was charged.</summary>
public record AccountCharged(Guid OrderId, decimal Amount, string Currency);

/// <summary>A charge for the customer's order was declined; no money moved.</summary>
public record AccountChargeDeclined(Guid OrderId, decimal Amount, string Currency, string Reason);

/// <summary>A charge was given back to the customer.</summary>
public record AccountRefunded(Guid OrderId, decimal Amount, string Currency, string Reason);
