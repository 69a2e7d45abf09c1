using SagaEngine.Bench.Api;
using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Load;

/// <summary>One order the benchmark sent, what it expected of it, and how the POST went.</summary>
public sealed record SubmittedOrder(PlannedOrder Plan, RunPhase Phase, SubmitOutcome Outcome);
