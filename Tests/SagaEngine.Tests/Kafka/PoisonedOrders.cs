using MassTransit;
using SagaEngine.Contracts;
using SagaEngine.Sagas;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// A handler that always throws, for one payment token only: the order saga fails every
/// <see cref="OrderSubmitted"/> with that token, inside its pipeline (so the endpoint's retry policy
/// applies), while every other order goes through. Counts the attempts, so a spec can tell the
/// pipeline's retries from the consume loop's deliveries.
/// </summary>
public sealed class PoisonedOrders(string paymentToken, Func<Exception> fault) : IEventObserver<OrderState>
{
    int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Once set, the handler works for this token too, as after a fix.</summary>
    public bool Fixed { get; set; }

    public Task PreExecute<T>(BehaviorContext<OrderState, T> context) where T : class
    {
        if (Fixed || context.Message is not OrderSubmitted submitted || submitted.PaymentToken != paymentToken)
            return Task.CompletedTask;
        Interlocked.Increment(ref _attempts);
        throw fault();
    }

    public Task PreExecute(BehaviorContext<OrderState> context) => Task.CompletedTask;

    public Task PostExecute(BehaviorContext<OrderState> context) => Task.CompletedTask;

    public Task PostExecute<T>(BehaviorContext<OrderState, T> context) where T : class => Task.CompletedTask;

    public Task ExecuteFault(BehaviorContext<OrderState> context, Exception exception) => Task.CompletedTask;

    public Task ExecuteFault<T>(BehaviorContext<OrderState, T> context, Exception exception) where T : class => Task.CompletedTask;
}
