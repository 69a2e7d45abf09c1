using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>
/// Which of the two databases a context or connection talks to, told from the connection's type: EF's own
/// <c>IsNpgsql()</c> reads its provider assembly's name on every call, and these checks run on every message.
/// </summary>
public static class DatabaseKind
{
    public static bool IsPostgres(this DatabaseFacade database) => IsPostgres(database.GetDbConnection());

    public static bool IsPostgres(DbConnection? connection) => connection is NpgsqlConnection;
}
