using MassTransit;

namespace SagaEngine.Tests.Kafka.Consumers;

public class TripState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = null!;

    public string Name { get; set; } = "";
}
