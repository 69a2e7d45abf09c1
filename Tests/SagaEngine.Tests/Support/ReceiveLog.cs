using System.Collections.Concurrent;
using MassTransit;

namespace SagaEngine.Tests.Support;

/// <summary>
/// Counts finished receives (acknowledged or faulted) by message id: after the whole consume pipeline,
/// including the outbox's commit, so a test can wait for a message without guessing how long it takes.
/// </summary>
public sealed class ReceiveLog : IReceiveObserver
{
    readonly ConcurrentDictionary<Guid, int> _finished = new();

    public int Finished(Guid messageId) => _finished.GetValueOrDefault(messageId);

    public Task WaitUntilFinished(Guid messageId, int times = 1) =>
        Eventually.True(() => Task.FromResult(Finished(messageId) >= times), $"message {messageId} received {times} time(s)");

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Count(context);

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Count(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    Task Count(ReceiveContext context)
    {
        if (context.GetMessageId() is { } id)
            _finished.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
