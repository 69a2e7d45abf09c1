using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SagaEngine.Host.Projections.Applying;

/// <summary>
/// Writes the rows a batch added in bulk (PostgreSQL's binary COPY; multi-row INSERT statements on SQLite) instead
/// of one statement per row, inside the batch's transaction, then lets SaveChanges do the rest (updates and deletes). A rebuild adds
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
    /// Parameters an INSERT statement on SQLite. It takes 32766, but Microsoft.Data.Sqlite binds each by name, and
    /// SQLite finds a name by walking the statement's list: the cost grows with the square of the parameters a
    /// statement, so statements stay small there.
    /// </summary>
    const int MaxParametersSqlite = 120;

    const int MaxRowsPerStatement = 1000;

    public static async Task Write(DbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata)
            .Where(g => g.Count() >= Threshold && CanInsert(g.Key, g)).ToList();
        if (added.Count == 0)
            return;

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var rows in added)
        {
            var entity = rows.Key;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = entity.GetProperties().ToList();
            var mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToList();
            var entries = rows.ToList();
            // Each row's values in column order, through the columns' converters, read once.
            var values = entries.Select(e => properties.Select((p, c) => ProviderValue(mappings[c], e.Property(p).CurrentValue)).ToArray()).ToList();

            try
            {
                if (connection is NpgsqlConnection postgres)
                    await Copy(postgres, table, properties, mappings, values, cancellationToken);
                else
                    await Insert(connection, transaction, table, properties, mappings, values, MaxParametersSqlite, cancellationToken);
            }
            catch (DbException e)
            {
                throw new DbUpdateException($"Adding {entries.Count} rows to {table.Name} failed: {e.Message}", e);
            }

            // Written: nothing more for SaveChanges to do with them, nor to compare them for.
            foreach (var row in entries)
                row.State = EntityState.Detached;
        }
    }

    /// <summary>
    /// PostgreSQL's binary COPY, in the batch's transaction: the rows stream to the server without a statement to
    /// parse or parameters to bind, several times faster than multi-row INSERTs of the same rows.
    /// </summary>
    static async Task Copy(NpgsqlConnection connection, StoreObjectIdentifier table, List<IProperty> properties,
        List<RelationalTypeMapping> mappings, List<object[]> rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
        var types = mappings.Select(m => m.StoreTypeNameBase).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(table.Name)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < row.Length; c++)
                if (row[c] is DBNull)
                    await importer.WriteNullAsync(cancellationToken);
                else
                    await importer.WriteAsync(row[c], types[c], cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Multi-row INSERTs of at most <paramref name="maxParameters"/> parameters: one prepared statement for every full chunk, one more for the rest.</summary>
    static async Task Insert(DbConnection connection, DbTransaction? transaction, StoreObjectIdentifier table, List<IProperty> properties,
        List<RelationalTypeMapping> mappings, List<object[]> rows, int maxParameters, CancellationToken cancellationToken)
    {
        var perStatement = Math.Max(1, Math.Min(MaxRowsPerStatement, maxParameters / properties.Count));
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                var command = count == perStatement
                    ? full ??= Command(connection, transaction, table, properties, mappings, perStatement)
                    : Command(connection, transaction, table, properties, mappings, count);
                for (var r = 0; r < count; r++)
                    for (var c = 0; c < properties.Count; c++)
                        command.Parameters[r * properties.Count + c].Value = rows[start + r][c];
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
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

    /// <summary>
    /// Plain rows only: every column given by the entity itself, nothing owned or split, nothing the database generates.
    /// A GUID key is "generated on add" by EF's convention, but on the client, and only when the row has none: rows that
    /// all carry their own (an order's id) are plain rows too.
    /// </summary>
    static bool CanInsert(IEntityType entity, IEnumerable<EntityEntry> rows) =>
        entity.GetTableName() is not null
        && !entity.GetNavigations().Any()
        && entity.GetProperties().All(p => p.GetRelationalTypeMapping() is not null
                                           && (p.ValueGenerated == ValueGenerated.Never || IsOwnGuid(p, rows)));

    static bool IsOwnGuid(IProperty property, IEnumerable<EntityEntry> rows) =>
        property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(Guid)
        && property.GetDefaultValueSql() is null && property.GetComputedColumnSql() is null
        && rows.All(row => row.Property(property.Name) is { IsTemporary: false, CurrentValue: Guid id } && id != Guid.Empty);

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
