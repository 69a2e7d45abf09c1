using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Providers;
using SagaEngine.Host.Persistence.Writes;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// Rows held for the commit (the saga's row, the outbox rows) are written by plain statements built from the
/// EF mapping: what they store must be what SaveChanges would have stored, and a row changed by someone else
/// since it was read must fail the commit as SaveChanges would.
/// </summary>
public abstract class CommitBatch_Specs(SagaEngineFactory host)
{
    CommitBatch Batch => host.Services.GetRequiredService<CommitBatch>();

    static OrderState Order(Guid id) => new()
    {
        CorrelationId = id, CurrentState = "AwaitingPayment", CustomerId = "cust-7", Currency = "EUR", Total = 37.5m,
        PaymentToken = "tok_ok", CreatedAt = new DateTime(2026, 11, 30, 21, 0, 0, DateTimeKind.Utc).AddTicks(1234567),
        UpdatedAt = new DateTime(2026, 11, 30, 21, 0, 1, DateTimeKind.Utc), InventoryTimeoutToken = null,
        PaymentTimeoutToken = Guid.Parse("0b5c36a4-3f6e-4b8e-9d55-5d2f3c1e0a77"), LastSequence = 3, StreamVersion = 2, Version = 4,
        Items = [new OrderStateLine { Sku = "SKU-1", Quantity = 2, UnitPrice = 12.5m }, new OrderStateLine { Sku = "SKU-\"2\"", Quantity = 1, UnitPrice = 12.5m }],
        History =
        [
            new OrderTransition { Event = "OrderSubmitted", From = "Initial", To = "AwaitingInventory", At = new DateTime(2026, 11, 30, 21, 0, 0, DateTimeKind.Utc) },
            new OrderTransition { Event = "Retried", From = "Faulted", To = "AwaitingPayment", At = new DateTime(2026, 11, 30, 21, 0, 1, DateTimeKind.Utc), Operator = "ops", Note = "é ✓" }
        ]
    };

    /// <summary>Saves <paramref name="order"/> the usual way, through EF's change tracker, in a context of its own.</summary>
    Task SaveWithEf(OrderState order) => host.Query(db =>
    {
        db.Add(order);
        return db.SaveChangesAsync();
    });

    /// <summary>Every column of the saga's row, as the database returns it, keyed by column name.</summary>
    Task<Dictionary<string, string?>> Row(Guid id) => host.Query(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM order_sagas WHERE \"CorrelationId\" = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = db.Database.ProviderName!.Contains("Sqlite") ? id.ToString().ToUpperInvariant() : id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"row {id}");
        return Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) != "CorrelationId")
            .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
    });

    [Fact]
    public async Task Should_store_a_held_insert_exactly_as_SaveChanges_stores_it()
    {
        var (byEf, held) = (Guid.NewGuid(), Guid.NewGuid());
        await SaveWithEf(Order(byEf));
        await host.InTransaction(db =>
        {
            Assert.True(Batch.HoldInsert(db, Order(held)));
            return Task.CompletedTask;
        });

        Assert.Equal(await Row(byEf), await Row(held));
        var read = await host.Saga(held);
        Assert.Equal(["SKU-1", "SKU-\"2\""], read!.Items.Select(i => i.Sku));
        Assert.Equal("é ✓", read.History[1].Note);
    }

    [Fact]
    public async Task Should_write_a_held_update_when_the_row_still_has_the_version_it_was_read_at()
    {
        var id = Guid.NewGuid();
        await SaveWithEf(Order(id));

        await host.InTransaction(async db =>
        {
            var order = await db.Set<OrderState>().AsNoTracking().SingleAsync(o => o.CorrelationId == id);
            order.CurrentState = "Confirmed";
            order.History.Add(new OrderTransition { Event = "PaymentCharged", From = "AwaitingPayment", To = "Confirmed", At = DateTime.UtcNow });
            order.Version++;
            Assert.True(Batch.HoldUpdate(db, order, originalToken: 4));
        });

        var saved = await host.Saga(id);
        Assert.Equal(("Confirmed", 5, 3), (saved!.CurrentState, saved.Version, saved.History.Count));
    }

    [Fact]
    public async Task Should_fail_the_commit_and_write_nothing_when_a_held_updates_row_changed_since_it_was_read()
    {
        var id = Guid.NewGuid();
        await SaveWithEf(Order(id));
        var outboxRow = new OutboxMessage
        {
            MessageId = Guid.NewGuid(), MessageType = "urn:message:Specs:Held", OrderingKey = id.ToString(), Body = "{}", CreatedAt = DateTime.UtcNow
        };

        // Read at version 3, but the row is at 4: someone saved it in between.
        var failure = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => host.InTransaction(db =>
        {
            Assert.True(Batch.HoldInsert(db, outboxRow));
            var stale = Order(id);
            stale.CurrentState = "Cancelled";
            Assert.True(Batch.HoldUpdate(db, stale, originalToken: 3));
            return Task.CompletedTask;
        }));

        Assert.Contains("changed by someone else", failure.Message);
        Assert.Equal(("AwaitingPayment", 4), ((await host.Saga(id))!.CurrentState, (await host.Saga(id))!.Version));
        Assert.Empty(await host.Outbox("Held", id.ToString()));
    }

    [Fact]
    public async Task Should_run_a_held_statement_at_the_commit_and_still_fail_a_stale_update_beside_rows_it_deleted()
    {
        var id = Guid.NewGuid();
        await host.Query(db =>
        {
            db.Add(Order(id));
            db.Add(new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:Specs:Doomed", OrderingKey = id.ToString(), Body = "{}", CreatedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });
        const string deleteDoomed = "DELETE FROM outbox_messages WHERE \"OrderingKey\" = {0} AND \"MessageType\" = {1}";

        // The delete changes a row and the stale update none: counting changed rows alone would see one of each.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => host.InTransaction(db =>
        {
            Assert.True(Batch.HoldStatement(db, deleteDoomed, id.ToString(), "urn:message:Specs:Doomed"));
            Assert.True(Batch.HoldUpdate(db, Order(id), originalToken: 3));
            return Task.CompletedTask;
        }));
        Assert.Single(await host.Outbox("Doomed", id.ToString()));

        await host.InTransaction(async db =>
        {
            Assert.True(Batch.HoldStatement(db, deleteDoomed, id.ToString(), "urn:message:Specs:Doomed"));
            Assert.Single(await db.Set<OutboxMessage>().Where(m => m.OrderingKey == id.ToString()).ToListAsync());
        });
        Assert.Empty(await host.Outbox("Doomed", id.ToString()));
    }

    [Fact]
    public async Task Should_send_the_held_writes_and_the_commit_as_one_command_on_PostgreSQL()
    {
        var (held, nothingHeld) = (new CommitObserver(), new CommitObserver());
        var id = Guid.NewGuid();

        await CommitWith(held, db => Assert.True(Batch.HoldInsert(db, Order(id))));
        await CommitWith(nothingHeld, _ => { });

        // On PostgreSQL the COMMIT went with the held rows, so EF was told not to send its own; SQLite commits as EF does.
        Assert.Equal(host.Provider == DatabaseProvider.Postgres, held.EfCommitSuppressed);
        Assert.False(nothingHeld.EfCommitSuppressed);
        Assert.Equal(("AwaitingPayment", 4), ((await host.Saga(id))!.CurrentState, (await host.Saga(id))!.Version));
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of a context configured as the host's, with <paramref name="observer"/>
    /// after the host's interceptors, and commits it.
    /// </summary>
    async Task CommitWith(CommitObserver observer, Action<DbContext> work)
    {
        var database = host.Services.GetRequiredService<ConfiguredDatabase>();
        await using DbContext db = database.Provider == DatabaseProvider.Postgres
            ? new PostgresSagaEngineDbContext(Configured(new DbContextOptionsBuilder<PostgresSagaEngineDbContext>()).Options)
            : new SqliteSagaEngineDbContext(Configured(new DbContextOptionsBuilder<SqliteSagaEngineDbContext>()).Options);
        await using var transaction = await db.Database.BeginTransactionAsync();
        work(db);
        await transaction.CommitAsync();

        T Configured<T>(T options) where T : DbContextOptionsBuilder
        {
            database.Apply(options);
            options.AddInterceptors(Batch, observer);
            return options;
        }
    }

    /// <summary>Sees what the interceptors before it made of EF's COMMIT.</summary>
    sealed class CommitObserver : DbTransactionInterceptor
    {
        public bool? EfCommitSuppressed { get; private set; }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            EfCommitSuppressed = result.IsSuppressed;
            return ValueTask.FromResult(result);
        }
    }

    [Fact]
    public async Task Should_fail_the_commit_with_DbUpdateException_when_a_held_insert_is_refused()
    {
        var id = Guid.NewGuid();
        await SaveWithEf(Order(id));

        // The retry policy treats a DbUpdateException as "read again and retry": a saga created twice at once.
        await Assert.ThrowsAsync<DbUpdateException>(() => host.InTransaction(db =>
        {
            Assert.True(Batch.HoldInsert(db, Order(id)));
            return Task.CompletedTask;
        }));
    }

    [Fact]
    public async Task Should_hold_nothing_outside_a_transaction_so_that_the_caller_saves_with_EF()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();

        Assert.False(Batch.HoldInsert(db, Order(Guid.NewGuid())));
    }

    [Fact]
    public async Task Should_send_held_inserts_with_a_save_that_has_changes_of_its_own_and_keep_them_held_through_one_that_has_none()
    {
        var key = Guid.NewGuid().ToString();
        OutboxMessage Row(string type) => new()
        {
            MessageId = Guid.NewGuid(), MessageType = $"urn:message:Specs:{type}", OrderingKey = key, Body = "{}", CreatedAt = DateTime.UtcNow
        };
        Task<int> Written(DbContext db) => db.Set<OutboxMessage>().CountAsync(m => m.OrderingKey == key);

        await host.InTransaction(async db =>
        {
            Assert.True(Batch.HoldInsert(db, Row("First")));
            await db.SaveChangesAsync();
            Assert.Equal(0, await Written(db));

            // A handler saving its own row first (and locking a contended row after): the held row goes with that save.
            db.Add(Order(Guid.NewGuid()));
            await db.SaveChangesAsync();
            Assert.Equal(1, await Written(db));

            Assert.True(Batch.HoldInsert(db, Row("Second")));
        });

        Assert.Single(await host.Outbox("First", key));
        Assert.Single(await host.Outbox("Second", key));
    }

    [Fact]
    public async Task Should_forget_a_held_insert_that_is_withdrawn_before_the_commit()
    {
        var key = Guid.NewGuid().ToString();
        var token = Guid.NewGuid();
        await host.InTransaction(db =>
        {
            Assert.True(Batch.HoldInsert(db, new OutboxMessage
            {
                MessageId = Guid.NewGuid(), MessageType = "urn:message:Specs:Withdrawn", OrderingKey = key, Body = "{}",
                CreatedAt = DateTime.UtcNow, DueAt = DateTime.UtcNow.AddMinutes(1), ScheduleToken = token
            }));
            Assert.True(Batch.HoldInsert(db, new OutboxMessage
            {
                MessageId = Guid.NewGuid(), MessageType = "urn:message:Specs:Kept", OrderingKey = key, Body = "{}", CreatedAt = DateTime.UtcNow
            }));
            Batch.Drop<OutboxMessage>(db, row => row.ScheduleToken == token);
            return Task.CompletedTask;
        });

        Assert.Empty(await host.Outbox("Withdrawn", key));
        var kept = Assert.Single(await host.Outbox("Kept", key));
        Assert.Equal(1, kept.SchemaVersion);
    }
}

public class CommitBatch_on_Sqlite(SqliteHost host) : CommitBatch_Specs(host), IClassFixture<SqliteHost>;

public class CommitBatch_on_Postgres(PostgresHost host) : CommitBatch_Specs(host), IClassFixture<PostgresHost>;
