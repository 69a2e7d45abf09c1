using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// Reads a projection's <see cref="ProjectionVersion"/> inside a transaction so that a swap and the
/// batches of the version it swaps out cannot interleave. On PostgreSQL a batch takes the row in share
/// mode and the swap in update mode; on SQLite every write transaction begins holding the write lock
/// (<c>BEGIN IMMEDIATE</c>), which serialises them already.
/// </summary>
public static class VersionRows
{
    public static async Task<ProjectionVersion?> Read(DbContext db, string projection, bool forUpdate, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
            return await db.Set<ProjectionVersion>().SingleOrDefaultAsync(v => v.Projection == projection, cancellationToken);

        var sql = "SELECT * FROM " + ProjectionVersionMap.Table + " WHERE \"Projection\" = {0} FOR " + (forUpdate ? "UPDATE" : "SHARE");
        return await db.Set<ProjectionVersion>().FromSqlRaw(sql, projection).SingleOrDefaultAsync(cancellationToken);
    }
}
