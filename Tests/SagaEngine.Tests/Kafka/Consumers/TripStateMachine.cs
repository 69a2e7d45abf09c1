using MassTransit;
using SagaEngine.Tests.Kafka.Messages;

namespace SagaEngine.Tests.Kafka.Consumers;

/// <summary>A generic saga: started, then ended.</summary>
public class TripStateMachine : MassTransitStateMachine<TripState>
{
    public TripStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Started, e => e.CorrelateById(c => c.Message.TripId));
        Event(() => Ended, e => e.CorrelateById(c => c.Message.TripId));

        Initially(
            When(Started)
                .Then(c => c.Saga.Name = c.Message.Name)
                .TransitionTo(Running));

        During(Running,
            When(Ended)
                .TransitionTo(Over));
    }

    public State Running { get; private set; } = null!;
    public State Over { get; private set; } = null!;

    public Event<TripStarted> Started { get; private set; } = null!;
    public Event<TripEnded> Ended { get; private set; } = null!;
}
