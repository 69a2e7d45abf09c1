using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A step's timeout is an outbox row due later, committed with the step; the reply that ends the wait cancels it,
/// which deletes that committed row in the reply's transaction, so nothing is left to fire.
/// </summary>
public abstract class ScheduledTimeouts_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _orders = new(host.CreateClient());

    Task<int> ScheduledFor(Guid orderId) =>
        host.Query(db => db.Set<OutboxMessage>()
            .CountAsync(m => m.OrderingKey == orderId.ToString() && m.DueAt != null && m.DeliveredAt == null));

    [Fact]
    public async Task Should_delete_each_timeout_once_its_reply_has_come_and_keep_the_one_still_waited_for()
    {
        var answered = await _orders.Submit("SKU-1", 1);
        var declined = await _orders.Submit("SKU-1", 1, token: "tok_decline");
        var waiting = await _orders.Submit("SKU-1", 1, token: "tok_timeout");

        Assert.Equal("Confirmed", (await _orders.WaitUntilEnded(answered)).State);
        Assert.Equal("Cancelled", (await _orders.WaitUntilEnded(declined)).State);
        await Eventually.True(async () => (await _orders.Find(waiting))?.State == "AwaitingPayment", "the third order waits for its payment");

        Assert.Equal((0, 0, 1), (await ScheduledFor(answered), await ScheduledFor(declined), await ScheduledFor(waiting)));
    }
}

public class ScheduledTimeouts_on_Sqlite(SqliteHost host) : ScheduledTimeouts_Specs(host), IClassFixture<SqliteHost>;

public class ScheduledTimeouts_on_Postgres(PostgresHost host) : ScheduledTimeouts_Specs(host), IClassFixture<PostgresHost>;
