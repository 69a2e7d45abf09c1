using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Tests.Support;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Tests.Persistence;

public record AdjustStock(string Sku, int By);

public record StockAdjusted(string Sku, int By);

/// <summary>
/// A deliberately non-idempotent consumer: every run moves stock and publishes, so only the inbox
/// stands between a redelivery and a second adjustment. Like the real services it saves its own
/// changes with SaveChangesAsync before it publishes.
/// </summary>
public class AdjustStockConsumer(DbContext db, StockAdjustmentProbe probe) : IConsumer<AdjustStock>
{
    public async Task Consume(ConsumeContext<AdjustStock> context)
    {
        var attempt = await probe.Enter();
        var item = await db.Set<StockItem>().SingleAsync(s => s.Sku == context.Message.Sku);
        item.Available += context.Message.By;
        item.Version++;
        await db.SaveChangesAsync();
        await context.Publish(new StockAdjusted(context.Message.Sku, context.Message.By));
        probe.Leave(attempt);
    }
}

/// <summary>Counts the consumer's runs and, when asked, fails its first run after it published and holds the retry.</summary>
public class StockAdjustmentProbe
{
    readonly TaskCompletionSource _retryHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _runs;

    public bool FailFirstRunAfterPublishing { get; init; }

    public int Runs => _runs;

    /// <summary>Completes when the second run has started, i.e. the first one has been rolled back.</summary>
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

    public void Leave(int run)
    {
        if (FailFirstRunAfterPublishing && run == 1)
            throw new InvalidOperationException("Failing after the publish, as a handler may.");
    }
}

/// <summary>The test consumer on an endpoint of its own, behind the transactional outbox like every service.</summary>
public sealed class StockAdjustmentEndpoint
{
    public const string Queue = "test-adjust-stock";

    readonly SagaEngineFactory _host;

    StockAdjustmentEndpoint(SagaEngineFactory host, ReceiveLog log)
    {
        _host = host;
        Log = log;
    }

    public ReceiveLog Log { get; }

    public static void Register(IServiceCollection services, StockAdjustmentProbe probe) =>
        services.AddSingleton(probe).AddScoped<AdjustStockConsumer>();

    public static async Task<StockAdjustmentEndpoint> Connect(SagaEngineFactory host)
    {
        var log = new ReceiveLog();
        var handle = host.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(Queue, (context, endpoint) =>
        {
            endpoint.Consumer<AdjustStockConsumer>(context, consumer =>
            {
                consumer.UseMessageRetry(r => r.Immediate(3));
                consumer.UseTransactionalOutbox(endpoint, context);
            });
        });
        handle.ReceiveEndpoint.ConnectReceiveObserver(log);
        await handle.Ready;
        return new StockAdjustmentEndpoint(host, log);
    }

    public async Task Send(AdjustStock command, Guid messageId)
    {
        var endpoint = await _host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{Queue}"));
        await endpoint.Send(command, c => c.MessageId = messageId);
    }

    public static async Task<string> AddSku(SagaEngineFactory host, int available)
    {
        var sku = $"TEST-{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        await host.Query(db =>
        {
            db.Add(new StockItem { Sku = sku, Available = available });
            return db.SaveChangesAsync();
        });
        return sku;
    }
}
