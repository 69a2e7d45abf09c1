using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Consumers.Inventory;

/// <summary>
/// The stock row of a SKU is its stream's inline projection: it holds the counts and the stream's version.
/// Every change happens in the database itself and returns the new version, which is the version of the
/// event the caller then appends. The row's lock, held to the commit, is what orders a SKU's appends:
/// many orders of one SKU queue on the row (PostgreSQL re-checks a condition on the row a concurrent
/// transaction committed) instead of failing on a version read before the other committed.
/// </summary>
public sealed class StockRows(DbContext db)
{
    /// <summary>Takes <paramref name="quantity"/> only while that much is available; the new version, or null when it no longer fits.</summary>
    public Task<int?> Take(string sku, int quantity, CancellationToken cancellationToken) =>
        Version("""
            UPDATE inventory_stock SET "Available" = "Available" - {1}, "Reserved" = "Reserved" + {1}, "Version" = "Version" + 1
            WHERE "Sku" = {0} AND "Available" >= {1} RETURNING "Version" AS "Value"
            """, cancellationToken, sku, quantity);

    /// <summary>Moves <paramref name="quantity"/> back from reserved to available; the new version, or null when the SKU has no row.</summary>
    public Task<int?> PutBack(string sku, int quantity, CancellationToken cancellationToken) =>
        Version("""
            UPDATE inventory_stock SET "Available" = "Available" + {1}, "Reserved" = "Reserved" - {1}, "Version" = "Version" + 1
            WHERE "Sku" = {0} RETURNING "Version" AS "Value"
            """, cancellationToken, sku, quantity);

    /// <summary>
    /// Adds <paramref name="quantity"/> to what is available, creating the SKU when it is new; the new
    /// version, or null when the count would exceed the largest one a row holds.
    /// </summary>
    public Task<int?> Receive(string sku, int quantity, CancellationToken cancellationToken) =>
        Version("""
            INSERT INTO inventory_stock ("Sku", "Available", "Reserved", "Version") VALUES ({0}, {1}, 0, 1)
            ON CONFLICT ("Sku") DO UPDATE SET "Available" = inventory_stock."Available" + {1}, "Version" = inventory_stock."Version" + 1
            WHERE inventory_stock."Available" <= {2} - {1}
            RETURNING "Version" AS "Value"
            """, cancellationToken, sku, quantity, int.MaxValue);

    /// <summary>Creates the SKU with <paramref name="quantity"/> available at version 1; null when it exists already.</summary>
    public Task<int?> Create(string sku, int quantity, CancellationToken cancellationToken) =>
        Version("""
            INSERT INTO inventory_stock ("Sku", "Available", "Reserved", "Version") VALUES ({0}, {1}, 0, 1)
            ON CONFLICT ("Sku") DO NOTHING RETURNING "Version" AS "Value"
            """, cancellationToken, sku, quantity);

    /// <summary>Locks the row without changing it, as a writer of the SKU's stream would; its version, or null when there is none.</summary>
    public Task<int?> Lock(string sku, CancellationToken cancellationToken) =>
        Version("""UPDATE inventory_stock SET "Version" = "Version" WHERE "Sku" = {0} RETURNING "Version" AS "Value" """,
            cancellationToken, sku);

    /// <summary>Sets the row to <paramref name="level"/> at <paramref name="version"/>, creating it if it is missing.</summary>
    public Task Write(string sku, StockLevel level, int version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            INSERT INTO inventory_stock ("Sku", "Available", "Reserved", "Version") VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT ("Sku") DO UPDATE SET "Available" = excluded."Available", "Reserved" = excluded."Reserved", "Version" = excluded."Version"
            """, [sku, level.Available, level.Reserved, version], cancellationToken);

    // Not composed over: EF sends the statement as written, so it may change rows and return them.
    async Task<int?> Version(string sql, CancellationToken cancellationToken, params object[] parameters) =>
        (await db.Database.SqlQueryRaw<int>(sql, parameters).ToListAsync(cancellationToken)) is [var version] ? version : null;
}
