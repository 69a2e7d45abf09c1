using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SagaEngine.Host.Projections.Applying;

/// <summary>
/// Writes the rows a batch added with a few multi-row INSERT statements instead of one statement per row,
/// inside the batch's transaction, then lets SaveChanges do the rest (updates and deletes). A rebuild adds
/// thousands of rows a batch; one statement each was most of its time. Column names, value conversions
/// (SQLite's text GUIDs and UTC times, for one) and parameter types all come from the EF model, as
/// SaveChanges would use them. A row that already exists fails the statement, and with it the batch,
/// as a conflict (<see cref="DbUpdateException"/>).
/// </summary>
static class BulkInserts
{
    /// <summary>Fewer added rows of a type than this go through SaveChanges as usual.</summary>
    const int Threshold = 8;

    /// <summary>
    /// Parameters a statement. PostgreSQL takes 65535 and binds them by position. SQLite takes 32766 but
    /// Microsoft.Data.Sqlite binds each by name, and SQLite finds a name by walking the statement's list:
    /// the cost grows with the square of the parameters a statement, so statements stay small there.
    /// </summary>
    const int MaxParametersPostgres = 30_000;

    const int MaxParametersSqlite = 120;

    const int MaxRowsPerStatement = 1000;

    public static async Task Write(DbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata)
            .Where(g => g.Count() >= Threshold && CanInsert(g.Key)).ToList();
        if (added.Count == 0)
            return;

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var maxParameters = db.Database.IsNpgsql() ? MaxParametersPostgres : MaxParametersSqlite;
        foreach (var rows in added)
        {
            var entity = rows.Key;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = entity.GetProperties().ToList();
            var mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToList();
            var perStatement = Math.Max(1, Math.Min(MaxRowsPerStatement, maxParameters / properties.Count));
            var entries = rows.ToList();

            // One prepared statement for every full chunk, its parameters given new values each time; one more for the rest.
            DbCommand? full = null;
            try
            {
                for (var start = 0; start < entries.Count; start += perStatement)
                {
                    var count = Math.Min(perStatement, entries.Count - start);
                    var command = count == perStatement
                        ? full ??= Command(connection, transaction, table, properties, mappings, perStatement)
                        : Command(connection, transaction, table, properties, mappings, count);
                    for (var r = 0; r < count; r++)
                        for (var c = 0; c < properties.Count; c++)
                            command.Parameters[r * properties.Count + c].Value =
                                ProviderValue(mappings[c], entries[start + r].Property(properties[c].Name).CurrentValue);
                    try
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                    catch (DbException e)
                    {
                        throw new DbUpdateException($"Adding {count} rows to {table.Name} failed: {e.Message}", e);
                    }
                    finally
                    {
                        if (command != full)
                            await command.DisposeAsync();
                    }
                }
            }
            finally
            {
                if (full is not null)
                    await full.DisposeAsync();
            }

            // Written: nothing more for SaveChanges to do with them, nor to compare them for.
            foreach (var row in entries)
                row.State = EntityState.Detached;
        }
    }

    static DbCommand Command(DbConnection connection, DbTransaction? transaction, StoreObjectIdentifier table, List<IProperty> properties,
        List<RelationalTypeMapping> mappings, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO ").Append(Quote(table.Name)).Append(" (")
            .AppendJoin(", ", properties.Select(p => Quote(p.GetColumnName(table)!))).Append(") VALUES ");
        var index = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < properties.Count; c++)
            {
                var name = "@p" + index++;
                sql.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(mappings[c].CreateParameter(command, name, null, properties[c].IsNullable));
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>The value as the column takes it: through the property's converter (SQLite's text GUIDs, UTC times), null as DBNull.</summary>
    static object ProviderValue(RelationalTypeMapping mapping, object? value) =>
        (value is null ? null : mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;

    /// <summary>Plain rows only: every column given by the entity itself, nothing generated, owned or split.</summary>
    static bool CanInsert(IEntityType entity) =>
        entity.GetTableName() is not null
        && !entity.GetNavigations().Any()
        && entity.GetProperties().All(p => p.ValueGenerated == ValueGenerated.Never && p.GetRelationalTypeMapping() is not null);

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
