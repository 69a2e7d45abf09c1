using FreePort = SagaEngine.Bench.Hosting.FreePort;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A database or outbox setting that cannot work stops the host at start-up, with a message that
/// names the setting. Checked on the built host in a process of its own, as an operator would meet it.
/// </summary>
public class Startup_Specs
{
    public static TheoryData<string, string?, string?, string> BadSettings => new()
    {
        // provider, connection string, extra setting ("key=value"), expected text
        { "Oracle", null, null, "Database:Provider must be Sqlite or Postgres, not 'Oracle'" },
        { "Postgres", null, null, "ConnectionStrings:SagaEngine is required when Database:Provider is Postgres" },
        {
            "Postgres", $"Host=127.0.0.1;Port={FreePort.OnLoopback()};Username=postgres;Database=sagaengine;Timeout=5", null,
            "The Postgres database set by ConnectionStrings:SagaEngine cannot be used"
        },
        { "Sqlite", null, "Database:SqlitePath=/proc/no-such-dir/sagaengine.db", "Database:SqlitePath ('/proc/no-such-dir/sagaengine.db')" },
        { "Sqlite", null, "Outbox:BatchSize=0", "Outbox:BatchSize must be from 1 to 10000, not 0" },
        { "Sqlite", null, "Outbox:PollInterval=00:30:00", "Outbox:PollInterval must be from" },
        { "Sqlite", null, "Saga:PaymentTimeout=00:00:00.01", "Saga:PaymentTimeout must be from 00:00:00.1 to 1.00:00:00" },
        { "Sqlite", null, "Saga:InventoryTimeout=2.00:00:00", "Saga:InventoryTimeout must be from 00:00:00.1 to 1.00:00:00" },
        { "Sqlite", null, "Payment:SlowDelay=-00:00:01", "Payment:SlowDelay must be more than 0" }
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_setting_that_cannot_work_stops_start_up_naming_it(string provider, string? connectionString, string? extra, string expected)
    {
        await using var database = new TestDatabase(SagaEngine.Host.Persistence.DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:SagaEngine"] = connectionString
        };
        if (extra?.Split('=', 2) is [var key, var value])
            settings[key] = value;

        var (exitCode, output) = await HostProcess.StartExpectingFailure(settings);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, output);
    }
}

public class Provider_names
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("SQLITE")]
    public async Task Are_not_case_sensitive(string name)
    {
        await using var host = new SagaEngineFactory().With("Database:Provider", name);
        var api = new OrdersClient(host.CreateClient());

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit()))!.State);
    }
}
