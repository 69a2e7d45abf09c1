using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Persistence.Writes;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// What a change tracker would save, held for the commit (a projection batch's rows): stored as SaveChanges
/// stores it, in as few statements as the parameter budget allows, and failing the commit as SaveChanges
/// fails when a row it updates or removes was changed or removed by someone else since it was read.
/// </summary>
public abstract class HeldTrackedChanges_Specs(SagaEngineFactory host)
{
    static readonly DateTime At = new DateTime(2026, 12, 1, 1, 0, 0, DateTimeKind.Utc).AddTicks(1234567);

    CommitBatch Batch => host.Services.GetRequiredService<CommitBatch>();

    static ProjectionKey Key(string projection, string key, int? sequence = 3, string? state = "{\"n\":\"é ✓\"}") => new()
    {
        Projection = projection, Version = 2, Key = key, LastSequence = sequence, Held = 1, State = state, AppliedAt = At, Revision = 0
    };

    static ProjectionPosition Position(string projection, int partition, DateTime? lastEventAt) => new()
    {
        Projection = projection, Version = 2, Topic = "orders.events", Partition = partition, NextOffset = 10, AppliedThrough = 10,
        LastEventAt = lastEventAt, Revision = 0
    };

    /// <summary>
    /// Reads a row (tracked), lets another context change it, then changes it in a transaction whose writes are
    /// held and commits. SQLite lets no one else write once a transaction has begun, so the read comes first.
    /// </summary>
    async Task ReadThenWrite<T>(Func<DbContext, Task<T>> read, Func<DbContext, Task<int>> meanwhile, Action<DbContext, T> change)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var row = await read(db);
        Assert.Equal(1, await host.Query(meanwhile));
        await using var transaction = await db.Database.BeginTransactionAsync();
        change(db, row);
        Assert.True(Batch.HoldTrackedChanges(db));
        await transaction.CommitAsync();
    }

    Task Save(params object[] rows) => host.Query(db =>
    {
        db.AddRange(rows);
        return db.SaveChangesAsync();
    });

    Task<List<ProjectionKey>> Keys(string projection) =>
        host.Query(db => db.Set<ProjectionKey>().AsNoTracking().Where(k => k.Projection == projection).OrderBy(k => k.Key).ToListAsync());

    Task<List<ProjectionPosition>> Positions(string projection) =>
        host.Query(db => db.Set<ProjectionPosition>().AsNoTracking().Where(p => p.Projection == projection).OrderBy(p => p.Partition).ToListAsync());

    [Fact]
    public async Task Should_store_added_modified_and_removed_rows_as_SaveChanges_stores_them()
    {
        var (byEf, held) = ($"ef-{Guid.NewGuid():N}", $"held-{Guid.NewGuid():N}");
        // The same changes, once saved by EF and once held: an update (a null time set, a token moved), a removal, two additions.
        foreach (var projection in new[] { byEf, held })
            await Save(Position(projection, 0, null), Key(projection, "gone"));

        foreach (var projection in new[] { byEf, held })
            await host.InTransaction(async db =>
            {
                var position = await db.Set<ProjectionPosition>().SingleAsync(p => p.Projection == projection);
                (position.NextOffset, position.LastEventAt, position.Revision) = (12, At, position.Revision + 1);
                db.Remove(await db.Set<ProjectionKey>().SingleAsync(k => k.Projection == projection));
                db.AddRange(Key(projection, "a"), Key(projection, "b", sequence: null, state: null), Position(projection, 1, At));
                if (projection == held)
                    Assert.True(Batch.HoldTrackedChanges(db));
                else
                    await db.SaveChangesAsync();
            });

        var (efKeys, heldKeys) = (await Keys(byEf), await Keys(held));
        Assert.Equal(["a", "b"], heldKeys.Select(k => k.Key));
        Assert.Equal(efKeys.Select(Describe), heldKeys.Select(Describe));
        var (efPositions, heldPositions) = (await Positions(byEf), await Positions(held));
        Assert.Equal(efPositions.Select(Describe), heldPositions.Select(Describe));
        Assert.Equal((12L, true, 1), (heldPositions[0].NextOffset, heldPositions[0].LastEventAt.HasValue, heldPositions[0].Revision));
    }

    [Fact]
    public async Task Should_write_more_rows_than_one_statement_binds_in_several()
    {
        var projection = $"many-{Guid.NewGuid():N}";
        await Save(Enumerable.Range(0, 150).Select(i => (object)Key(projection, $"k{i:D3}")).ToArray());

        await host.InTransaction(async db =>
        {
            foreach (var row in await db.Set<ProjectionKey>().Where(k => k.Projection == projection).ToListAsync())
                (row.LastSequence, row.Revision) = (row.LastSequence + 1, row.Revision + 1);
            db.AddRange(Enumerable.Range(150, 150).Select(i => Key(projection, $"k{i:D3}")));
            Assert.True(Batch.HoldTrackedChanges(db));
        });

        var keys = await Keys(projection);
        Assert.Equal(300, keys.Count);
        Assert.All(keys.Take(150), k => Assert.Equal((4, 1), (k.LastSequence, k.Revision)));
        Assert.All(keys.Skip(150), k => Assert.Equal((3, 0), (k.LastSequence, k.Revision)));
    }

    [Fact]
    public async Task Should_fail_the_commit_and_write_nothing_when_a_row_it_updates_was_changed_since_it_was_read()
    {
        var projection = $"stale-{Guid.NewGuid():N}";
        await Save(Position(projection, 0, null));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => ReadThenWrite(
            db => db.Set<ProjectionPosition>().SingleAsync(p => p.Projection == projection),
            // Another member moves the same position between the read and the write.
            db => db.Set<ProjectionPosition>().Where(p => p.Projection == projection)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Revision, p => p.Revision + 1).SetProperty(p => p.NextOffset, 15)),
            (db, position) =>
            {
                (position.NextOffset, position.Revision) = (20, position.Revision + 1);
                db.Add(Key(projection, "new"));
            }));

        Assert.Equal((15L, 1), (await Positions(projection)).Select(p => (p.NextOffset, p.Revision)).Single());
        Assert.Empty(await Keys(projection));
    }

    [Fact]
    public async Task Should_fail_the_commit_when_one_of_many_rows_it_updates_in_one_statement_was_changed_since_it_was_read()
    {
        var projection = $"one-stale-{Guid.NewGuid():N}";
        await Save(Enumerable.Range(0, 20).Select(i => (object)Key(projection, $"k{i:D2}")).ToArray());

        // Nineteen rows of the statement still match; the check must be for all twenty, not for any.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => ReadThenWrite(
            db => db.Set<ProjectionKey>().Where(k => k.Projection == projection).ToListAsync(),
            db => db.Set<ProjectionKey>().Where(k => k.Projection == projection && k.Key == "k07")
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Revision, k => k.Revision + 1)),
            (db, rows) =>
            {
                foreach (var row in rows)
                    (row.LastSequence, row.Revision) = (9, row.Revision + 1);
                db.Add(Key(projection, "new"));
            }));

        var keys = await Keys(projection);
        Assert.Equal(20, keys.Count);
        Assert.All(keys, k => Assert.Equal(3, k.LastSequence));
    }

    [Fact]
    public async Task Should_fail_the_commit_when_a_row_it_removes_is_gone_already()
    {
        var projection = $"gone-{Guid.NewGuid():N}";
        await Save(Key(projection, "gone"));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => ReadThenWrite(
            db => db.Set<ProjectionKey>().SingleAsync(k => k.Projection == projection),
            db => db.Set<ProjectionKey>().Where(k => k.Projection == projection).ExecuteDeleteAsync(),
            (db, row) =>
            {
                db.Remove(row);
                db.Add(Key(projection, "other"));
            }));

        Assert.Empty(await Keys(projection));
    }

    [Fact]
    public async Task Should_leave_to_SaveChanges_a_change_it_cannot_write_and_hold_the_others()
    {
        var projection = $"mixed-{Guid.NewGuid():N}";
        var order = Guid.NewGuid();
        await Save(Saga(order));

        await host.InTransaction(async db =>
        {
            // A change inside a JSON column shows only as a modified owned entry: EF writes that column.
            var saga = await db.Set<OrderState>().SingleAsync(o => o.CorrelationId == order);
            saga.Items[0].Quantity = 7;
            db.Add(Key(projection, "k"));
            Assert.False(Batch.HoldTrackedChanges(db));
            Assert.Equal([typeof(OrderStateLine)], db.ChangeTracker.Entries().Where(e => e.State == EntityState.Modified).Select(e => e.Entity.GetType()));
            Assert.DoesNotContain(db.ChangeTracker.Entries(), e => e.State == EntityState.Added);
            await db.SaveChangesAsync();
        });

        Assert.Equal(7, (await host.Saga(order))!.Items[0].Quantity);
        Assert.Single(await Keys(projection));
    }

    [Fact]
    public async Task Should_hold_new_rows_with_JSON_columns_with_their_owned_entities_and_store_them_as_SaveChanges_does()
    {
        var (byEf, held) = (Guid.NewGuid(), Guid.NewGuid());
        await Save(Saga(byEf));

        await host.InTransaction(db =>
        {
            db.Add(Saga(held));
            Assert.True(Batch.HoldTrackedChanges(db));
            Assert.Empty(db.ChangeTracker.Entries());
            return Task.CompletedTask;
        });

        var (saved, written) = ((await host.Saga(byEf))!, (await host.Saga(held))!);
        Assert.Equal(Describe(saved), Describe(written).Replace(held.ToString(), byEf.ToString()));
    }

    static OrderState Saga(Guid id) => new()
    {
        CorrelationId = id, CurrentState = "AwaitingInventory", CustomerId = "c", Currency = "EUR", Total = 25m, CreatedAt = At, UpdatedAt = At,
        Items = [new OrderStateLine { Sku = "SKU-1", Quantity = 2, UnitPrice = 12.5m }, new OrderStateLine { Sku = "SKU-é", Quantity = 1, UnitPrice = 0.01m }],
        History = [new OrderTransition { Event = "OrderSubmitted", From = "Initial", To = "AwaitingInventory", At = At, Note = "n \"q\"" }]
    };

    static string Describe(OrderState o) =>
        $"{o.CorrelationId} {o.CurrentState} {o.Total} {o.CreatedAt:O} {o.CreatedAt.Kind} "
        + string.Join("|", o.Items.Select(i => $"{i.Sku} {i.Quantity} {i.UnitPrice}")) + " "
        + string.Join("|", o.History.Select(h => $"{h.Event} {h.From} {h.To} {h.At:O} {h.At.Kind} {h.Operator} {h.Note}"));

    [Fact]
    public async Task Should_hold_nothing_outside_a_transaction_nor_more_rows_than_a_command_binds_cheaply()
    {
        var projection = $"none-{Guid.NewGuid():N}";
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        db.Add(Key(projection, "k"));
        Assert.False(Batch.HoldTrackedChanges(db));

        await using (await db.Database.BeginTransactionAsync())
        {
            db.AddRange(Enumerable.Range(0, 600).Select(i => Key(projection, $"bulk{i}")));
            Assert.False(Batch.HoldTrackedChanges(db));
            Assert.Equal(601, db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added));
        }
    }

    static string Describe(ProjectionPosition p) =>
        $"{p.Version} {p.Topic} {p.Partition} {p.NextOffset} {p.AppliedThrough} {p.LastEventAt:O} {p.LastEventAt?.Kind} {p.Revision}";

    static string Describe(ProjectionKey k) =>
        $"{k.Version} {k.Key} {k.LastSequence} {k.Held} {k.State} {k.AppliedAt:O} {k.AppliedAt.Kind} {k.Revision}";
}

public class HeldTrackedChanges_on_Sqlite(SqliteHost host) : HeldTrackedChanges_Specs(host), IClassFixture<SqliteHost>;

public class HeldTrackedChanges_on_Postgres(PostgresHost host) : HeldTrackedChanges_Specs(host), IClassFixture<PostgresHost>;
