using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.EventSourcing;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

public record AddToTally(string Stream, int Amount);

public record TallyAdded(string Stream, long Version);

/// <summary>
/// A consumer that appends to a stream at the version it read and publishes, as the services do, behind
/// the engine's retry policy and the transactional outbox. Its probe can make the first read stale (another
/// writer got there first) or fail the first run after it appended and published.
/// </summary>
public class AddToTallyConsumer(IEventStreams events, TallyProbe probe) : IConsumer<AddToTally>
{
    public async Task Consume(ConsumeContext<AddToTally> context)
    {
        var run = await probe.Enter();
        var version = await events.Version(context.Message.Stream);
        if (probe.StaleFirstRead && run == 1)
            version--;
        await events.Append(context.Message.Stream, version, new Tallied(context.Message.Amount));
        await context.Publish(new TallyAdded(context.Message.Stream, version + 1));
        if (probe.FailFirstRunAfterPublishing && run == 1)
            throw new TimeoutException("Failing after the append and the publish, as a handler may.");
    }
}

public class TallyProbe
{
    readonly TaskCompletionSource _retryHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _runs;

    public bool StaleFirstRead { get; init; }

    public bool FailFirstRunAfterPublishing { get; init; }

    public int Runs => _runs;

    /// <summary>Completes when the second run has started, i.e. the first one was rolled back.</summary>
    public Task RetryHeld => _retryHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void ReleaseRetry() => _release.TrySetResult();

    public async Task<int> Enter()
    {
        var run = Interlocked.Increment(ref _runs);
        if (FailFirstRunAfterPublishing && run == 2)
        {
            _retryHeld.TrySetResult();
            await _release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return run;
    }
}

/// <summary>The consumer on an endpoint of its own, with the policy every service has: the engine's retry, then the outbox.</summary>
public sealed class TallyEndpoint
{
    public const string Queue = "test-tally";

    readonly SagaEngineFactory _host;

    TallyEndpoint(SagaEngineFactory host, ReceiveLog log)
    {
        _host = host;
        Log = log;
    }

    public ReceiveLog Log { get; }

    public static void Register(IServiceCollection services, TallyProbe probe)
    {
        TallyFold.Register(services);
        services.AddSingleton(probe).AddScoped<AddToTallyConsumer>();
    }

    public static async Task<TallyEndpoint> Connect(SagaEngineFactory host)
    {
        var log = new ReceiveLog();
        var handle = host.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(Queue, (context, endpoint) =>
            endpoint.Consumer<AddToTallyConsumer>(context, consumer =>
            {
                consumer.UseEngineRetry(context, Queue);
                consumer.UseTransactionalOutbox(endpoint, context);
            }));
        handle.ReceiveEndpoint.ConnectReceiveObserver(log);
        await handle.Ready;
        return new TallyEndpoint(host, log);
    }

    public async Task Send(AddToTally command, Guid messageId)
    {
        var endpoint = await _host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{Queue}"));
        await endpoint.Send(command, c => c.MessageId = messageId);
    }
}
