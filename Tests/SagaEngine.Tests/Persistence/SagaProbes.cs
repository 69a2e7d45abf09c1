using MassTransit;
using SagaEngine.Sagas;

namespace SagaEngine.Tests.Persistence;

/// <summary>Watches one event of one order saga as the state machine runs it; the rest pass untouched.</summary>
public abstract class SagaEventProbe(Guid orderId, string eventName) : IEventObserver<OrderState>
{
    protected virtual Task Before() => Task.CompletedTask;

    protected virtual Task After() => Task.CompletedTask;

    bool Watched(BehaviorContext<OrderState> context) => context.Saga.CorrelationId == orderId && context.Event.Name == eventName;

    public Task PreExecute(BehaviorContext<OrderState> context) => Watched(context) ? Before() : Task.CompletedTask;

    public Task PreExecute<T>(BehaviorContext<OrderState, T> context) where T : class => PreExecute((BehaviorContext<OrderState>)context);

    public Task PostExecute(BehaviorContext<OrderState> context) => Watched(context) ? After() : Task.CompletedTask;

    public Task PostExecute<T>(BehaviorContext<OrderState, T> context) where T : class => PostExecute((BehaviorContext<OrderState>)context);

    public Task ExecuteFault(BehaviorContext<OrderState> context, Exception exception) => Task.CompletedTask;

    public Task ExecuteFault<T>(BehaviorContext<OrderState, T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>
/// Makes the transition throw once, after its activities ran (the message it sends is already in the
/// outbox's hands, the new state already set), then holds the retry until the test has looked.
/// </summary>
public class FailTransitionOnce(Guid orderId, string eventName) : SagaEventProbe(orderId, eventName)
{
    readonly TaskCompletionSource _retryHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _runs;

    public int Runs => _runs;

    /// <summary>Completes when the retry has started and waits; fails (rather than hangs) if no retry comes.</summary>
    public Task RetryHeld => _retryHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void ReleaseRetry() => _release.TrySetResult();

    protected override async Task Before()
    {
        if (Interlocked.Increment(ref _runs) == 2)
        {
            _retryHeld.TrySetResult();
            await _release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    protected override Task After() =>
        // Transient, so the saga endpoint's retry policy tries it again (a plain bug would not be retried in the pipeline).
        _runs == 1 ? throw new TimeoutException("Failing after the transition's activities, as a dependency may.") : Task.CompletedTask;
}

/// <summary>
/// Lets the first run of the event wait (a while at most) until a second run has started too, so that
/// both read the saga before either saves. Where the database serialises writers (SQLite), the
/// second cannot start and the first goes on alone after the wait.
/// </summary>
public class Rendezvous(Guid orderId, string eventName, TimeSpan wait) : SagaEventProbe(orderId, eventName)
{
    readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _runs;

    /// <summary>True when two runs were in the saga at once.</summary>
    public bool Met { get; private set; }

    public int Runs => _runs;

    protected override async Task Before()
    {
        var run = Interlocked.Increment(ref _runs);
        if (run == 1)
        {
            try
            {
                await _second.Task.WaitAsync(wait);
                Met = true;
            }
            catch (TimeoutException)
            {
                // Serialised: the other run waits for this one's transaction.
            }
        }
        else if (run == 2)
            _second.TrySetResult();
    }
}
