using Microsoft.EntityFrameworkCore;
using SagaEngine.Contracts;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>
/// The payment simulator's slow tokens through the real host (Kafka, the outbox relay, the database):
/// timeouts short enough for a test, the slow answer well after the payment timeout.
/// </summary>
public abstract class Timeouts_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task A_payment_that_never_answers_cancels_the_order_with_payment_timeout_and_puts_the_stock_back()
    {
        var before = await _client.Stock("SKU-1");

        var id = await _client.Submit("SKU-1", 2, token: "tok_timeout");
        var order = await _client.WaitUntilEnded(id);

        Assert.Equal(("Cancelled", FailureReasons.PaymentTimeout), (order.State, order.FailureReason));
        Assert.Equal(["AwaitingInventory", "AwaitingPayment", "Compensating", "Cancelled"], order.History.Select(h => h.To));
        // The same counts, two events on: the reservation and its release.
        Assert.Equal(before with { Version = before.Version + 2 }, await _client.Stock("SKU-1"));
        Assert.Empty(await _client.Payments(id));
    }

    [Fact]
    public async Task A_payment_that_answers_after_the_timeout_is_refunded_and_the_order_stays_cancelled()
    {
        var before = await _client.Stock("SKU-2");

        var id = await _client.Submit("SKU-2", 1, 30m, token: "tok_slow");
        var cancelled = await _client.WaitUntilEnded(id);
        Assert.Equal(("Cancelled", FailureReasons.PaymentTimeout), (cancelled.State, cancelled.FailureReason));

        var ledger = await Eventually.Get(() => _client.Payments(id), l => l.Count == 2, "the charge and its refund in the ledger");
        Assert.Equal([("Charge", 30m), ("Refund", 30m)], ledger.Select(e => (e.Kind, e.Amount)));

        var order = await Eventually.Get(async () => (await _client.Find(id))!, o => o.History.Count == 6,
            "the late charge and its confirmed refund in the order's history");
        Assert.Equal(("Cancelled", FailureReasons.PaymentTimeout), (order.State, order.FailureReason));
        Assert.Equal([("PaymentCharged", "Cancelled", "Cancelled"), ("PaymentRefunded", "Cancelled", "Cancelled")],
            order.History.Skip(4).Select(h => (h.Event, h.From, h.To)));
        Assert.Equal(before with { Version = before.Version + 2 }, await _client.Stock("SKU-2"));
    }

    [Fact]
    public async Task A_payment_that_fails_twice_for_a_moment_is_retried_and_charged_once()
    {
        var id = await _client.Submit("SKU-3", 1, token: "tok_flaky");
        var order = await _client.WaitUntilEnded(id);

        Assert.Equal("Confirmed", order.State);
        var charge = Assert.Single(await _client.Payments(id));
        Assert.Equal("Charge", charge.Kind);
    }

    [Fact]
    public async Task Replies_in_time_take_their_timeouts_out_of_the_outbox()
    {
        var id = await _client.Submit("SKU-3", 1);
        Assert.Equal("Confirmed", (await _client.WaitUntilEnded(id)).State);

        // Both timeouts were written (due in 10 s and 2 s) and deleted again by the replies' transactions.
        var timeouts = await host.Query(db => db.Set<OutboxMessage>().AsNoTracking()
            .CountAsync(m => m.OrderingKey == id.ToString() && m.DueAt != null));
        Assert.Equal(0, timeouts);
    }
}

/// <summary>A host whose saga waits 2 s for payment (a slow payment answers after 4 s) and whose relay polls often.</summary>
public class ShortTimeoutsHost : SagaEngineFactory
{
    protected ShortTimeoutsHost(DatabaseProvider provider) : base(provider)
    {
        With("Saga:InventoryTimeout", "00:00:10");
        With("Saga:PaymentTimeout", "00:00:02");
        With("Payment:SlowDelay", "00:00:04");
        With("Outbox:PollInterval", "00:00:00.2");
    }
}

public class ShortTimeoutsSqliteHost() : ShortTimeoutsHost(DatabaseProvider.Sqlite);

public class ShortTimeoutsPostgresHost() : ShortTimeoutsHost(DatabaseProvider.Postgres);

public class Timeouts_on_Sqlite(ShortTimeoutsSqliteHost host) : Timeouts_Specs(host), IClassFixture<ShortTimeoutsSqliteHost>;

public class Timeouts_on_Postgres(ShortTimeoutsPostgresHost host) : Timeouts_Specs(host), IClassFixture<ShortTimeoutsPostgresHost>;
