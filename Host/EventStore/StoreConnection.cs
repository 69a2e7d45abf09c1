using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// The event store's statements run on the scope's DbContext connection, inside its current transaction,
/// as plain ADO.NET commands: they are few, written once per provider, and on the hot path. This wraps
/// the connection and hides the two providers' differences in how values are bound.
/// </summary>
public sealed class StoreConnection(DbContext db)
{
    public bool IsPostgres { get; } = db.Database.IsPostgres();

    public DbContext Context => db;

    /// <summary>The SQL for "the later of two times", where the second may be null.</summary>
    public string Later(string time, string maybeNull) =>
        IsPostgres ? $"GREATEST({time}, {maybeNull})" : $"MAX({time}, COALESCE({maybeNull}, {time}))";

    /// <summary>Opens the connection if EF has not; dispose the result to give it back as EF expects.</summary>
    public async Task<IAsyncDisposable> Open(CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            return NothingToClose.Instance;
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new Closing(db);
    }

    /// <summary>Counts this store's commands with EF's (see <see cref="CommandMetrics"/>): each command made here is sent once.</summary>
    readonly CommandMetrics? _commands = CommandMetrics.Of(db);

    public DbCommand Command(string sql)
    {
        _commands?.Sent();
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// Binds a value the way EF stores it on this provider (SQLite keeps GUIDs as upper-case text). A null
    /// needs its type: PostgreSQL cannot tell it from where it is used in an INSERT … SELECT.
    /// </summary>
    public void Bind(DbCommand command, string name, object? value, System.Data.DbType typeOfNull = System.Data.DbType.String)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        switch (value)
        {
            case null:
                parameter.DbType = typeOfNull == System.Data.DbType.Guid && !IsPostgres ? System.Data.DbType.String : typeOfNull;
                parameter.Value = DBNull.Value;
                break;
            case Guid guid when !IsPostgres:
                parameter.Value = guid.ToString().ToUpperInvariant();
                break;
            case DateTime time:
                parameter.Value = DateTime.SpecifyKind(time, DateTimeKind.Utc);
                break;
            default:
                parameter.Value = value;
                break;
        }
        command.Parameters.Add(parameter);
    }

    /// <summary>Reads a time as UTC (SQLite keeps no time zone; every time this engine stores is UTC).</summary>
    public static DateTime Utc(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public static DateTime? NullableUtc(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Utc(reader, ordinal);

    public static Guid? NullableGuid(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>True when <paramref name="e"/> is a unique-key violation of <paramref name="index"/>.</summary>
    public static bool IsUniqueViolation(Exception e, string table, string index) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName == index,
        // SQLITE_CONSTRAINT_UNIQUE names the table's columns, not the index.
        SqliteException { SqliteExtendedErrorCode: 2067 } sqlite => sqlite.Message.Contains($"{table}.", StringComparison.Ordinal),
        _ => false
    };

    sealed class Closing(DbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync();
    }

    sealed class NothingToClose : IAsyncDisposable
    {
        public static readonly NothingToClose Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
