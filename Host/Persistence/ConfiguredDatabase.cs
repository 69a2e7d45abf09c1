using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaEngine.Host.Persistence.Providers;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Host.Persistence;

/// <summary>The database the settings chose, resolved once: which provider, which connection, which setting names it.</summary>
public class ConfiguredDatabase
{
    /// <summary>
    /// The session setting that tells the outbox trigger this process runs a relay of its own, which
    /// the commit watcher wakes in-process, so the commit need not NOTIFY (PostgreSQL serialises the
    /// commits of notifying transactions). See the Postgres migration <c>NotifyOnlyWithoutLocalRelay</c>.
    /// </summary>
    public const string LocalRelaySetting = "sagaengine.local_relay";

    public ConfiguredDatabase(IOptions<DatabaseOptions> options, IOptions<OutboxOptions> outbox, IHostEnvironment environment)
    {
        // Reading the options validates them: a bad provider or a missing connection string stops here, by name.
        var settings = options.Value;
        Provider = settings.ProviderKind;
        if (Provider == DatabaseProvider.Postgres)
        {
            ConnectionString = settings.ConnectionString!;
            SessionConnectionString = WithStatementReuse(outbox.Value.RelayEnabled ? WithLocalRelay(ConnectionString) : ConnectionString);
            Setting = $"ConnectionStrings:{DatabaseOptions.ConnectionStringName}";
        }
        else
        {
            var path = Path.GetFullPath(settings.SqlitePath, environment.ContentRootPath);
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
            SessionConnectionString = ConnectionString;
            Setting = $"{DatabaseOptions.Section}:SqlitePath ('{path}')";
            SqliteFile = path;
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>What the DbContexts connect with: on PostgreSQL, <see cref="ConnectionString"/> plus <see cref="LocalRelaySetting"/> when this process's relay runs.</summary>
    public string SessionConnectionString { get; }

    /// <summary>The setting an operator changes when this database cannot be reached.</summary>
    public string Setting { get; }

    public string? SqliteFile { get; }

    /// <summary>Adds the setting to the connection's start-up options, keeping any the operator gave.</summary>
    static string WithLocalRelay(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c {LocalRelaySetting}=on".Trim();
        return builder.ToString();
    }

    /// <summary>
    /// Every message runs the same few statements; prepared once per connection, PostgreSQL skips parsing
    /// and planning them again (its CPU is the host's neighbour's on a small machine). A pooled connection
    /// keeps its session as it is when it goes back: this host sets no session state that a reset would undo.
    /// Values the operator gave in the connection string are kept.
    /// </summary>
    static string WithStatementReuse(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = MaxAutoPreparedStatements;
        if (!connectionString.Contains("reset", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        return builder.ToString();
    }

    /// <summary>More than the distinct statements of the flow, so none is evicted while messages run.</summary>
    const int MaxAutoPreparedStatements = 64;

    public void Apply(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Postgres)
            options.UseNpgsql(SessionConnectionString);
        else
            options.UseSqlite(ConnectionString).AddInterceptors(SqliteConnectionSetup.Instance, SqliteWriteGate.Instance);

        // A failed connection, command or save always reaches its caller, which logs it with its context
        // (MassTransit as a retry or fault, the relay, start-up, ASP.NET); EF's own error lines would only
        // repeat it. Expected failures (a version conflict, a redelivery colliding on the inbox key, the
        // probes of a database or history table that a first start has yet to create) then do not read as errors.
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }
}
