using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Providers;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>The schema comes from migrations applied at start-up, on a fresh database and on one that already has some.</summary>
public class Migrations_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_fresh_database_gets_every_migration(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);

        var (applied, all) = await host.Query(async db =>
            ((await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));

        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_existing_database_starts_again_and_keeps_its_orders(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        Guid orderId;
        await using (var first = new SagaEngineFactory(database))
        {
            var api = new OrdersClient(first.CreateClient());
            orderId = await api.Submit();
            await api.WaitUntilEnded(orderId);
        }

        await using var second = new SagaEngineFactory(database);
        var again = new OrdersClient(second.CreateClient());

        var kept = await again.Find(orderId);
        Assert.Equal("Confirmed", kept!.State);
        Assert.Equal(3, kept.History.Count);
        Assert.Equal("Confirmed", (await again.WaitUntilEnded(await again.Submit()))!.State);
    }

    [Fact]
    public async Task A_database_on_an_older_migration_is_brought_up_to_date()
    {
        await using var database = new TestDatabase(DatabaseProvider.Postgres);
        string first;
        await using (var db = new PostgresSagaEngineDbContext(new DbContextOptionsBuilder<PostgresSagaEngineDbContext>()
                         .UseNpgsql(database.PostgresConnectionString).Options))
        {
            first = db.Database.GetMigrations().First();
            await db.GetService<IMigrator>().MigrateAsync(first);
        }

        await using var host = new SagaEngineFactory(database);
        var applied = await host.Query(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList());

        Assert.True(applied.Count > 1, $"Only {string.Join(", ", applied)} applied.");
        Assert.Equal(first, applied[0]);
        Assert.Equal("Confirmed", (await new OrdersClient(host.CreateClient()).WaitUntilEnded(
            await new OrdersClient(host.CreateClient()).Submit()))!.State);
    }

    [Fact]
    public void Each_provider_s_migrations_match_the_model()
    {
        // When this fails the model changed: run scripts/add-migration.sh <Name>.
        using var sqlite = new SqliteSagaEngineDbContext(new DbContextOptionsBuilder<SqliteSagaEngineDbContext>()
            .UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresSagaEngineDbContext(new DbContextOptionsBuilder<PostgresSagaEngineDbContext>()
            .UseNpgsql("Host=localhost").Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The SQLite migrations lag behind the model.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The PostgreSQL migrations lag behind the model.");
    }

    [Fact]
    public async Task The_PostgreSQL_outbox_notifies_listeners_when_a_host_without_a_relay_of_its_own_commits_rows()
    {
        // A host whose relay runs wakes it in-process and does not notify (see Relay_Specs).
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres).With("Outbox:RelayEnabled", "false");
        var api = new OrdersClient(host.CreateClient());
        await using var listener = new NpgsqlConnection(host.Database.PostgresConnectionString + ";Pooling=false");
        await listener.OpenAsync();
        var notified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => notified.TrySetResult(e.Channel);
        await using (var listen = new NpgsqlCommand("LISTEN outbox_messages", listener))
            await listen.ExecuteNonQueryAsync();

        await api.Submit();
        var wait = listener.WaitAsync();

        Assert.Equal("outbox_messages", await notified.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await wait.WaitAsync(TimeSpan.FromSeconds(1));
    }
}
