using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Projections.Storage;

/// <summary>Empties what a version no longer serving (swapped out, or an abandoned rebuild) left behind.</summary>
public static class VersionCleanup
{
    const int RowsPerStatement = 5000;

    /// <summary>Empties a slot's tables (TRUNCATE on PostgreSQL; SQLite's DELETE without a filter does the same).</summary>
    public static async Task ClearTables(DbContext db, IProjection projection, ProjectionSlot slot, CancellationToken cancellationToken)
    {
        var truncate = db.Database.IsNpgsql() ? "TRUNCATE TABLE" : "DELETE FROM";
        foreach (var table in projection.Tables)
        {
            // Table names come from the projections' code, never from input.
            var sql = truncate + " \"" + slot.Table(table) + "\"";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }

    /// <summary>Deletes a version's positions, streams and held events, a few thousand rows a statement so that no write waits long.</summary>
    public static async Task DeleteBookkeeping(DbContext db, string projection, int version, CancellationToken cancellationToken)
    {
        await db.Set<ProjectionPosition>().Where(p => p.Projection == projection && p.Version == version).ExecuteDeleteAsync(cancellationToken);
        await db.Set<HeldEvent>().Where(h => h.Projection == projection && h.Version == version).ExecuteDeleteAsync(cancellationToken);
        while (true)
        {
            var keys = await db.Set<ProjectionKey>().AsNoTracking().Where(k => k.Projection == projection && k.Version == version)
                .Select(k => k.Key).OrderBy(k => k).Take(RowsPerStatement).ToListAsync(cancellationToken);
            if (keys.Count == 0)
                return;
            await db.Set<ProjectionKey>().Where(k => k.Projection == projection && k.Version == version && EF.Parameter(keys).Contains(k.Key))
                .ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Versions that have bookkeeping rows but are neither live nor being built (each looked up by its key prefix).</summary>
    public static async Task<IReadOnlyList<int>> Leftovers(DbContext db, ProjectionVersion row, CancellationToken cancellationToken)
    {
        var leftovers = new List<int>();
        for (var version = 1; version <= row.LastVersion; version++)
        {
            if (version == row.Active || version == row.Rebuilding)
                continue;
            var v = version;
            if (await db.Set<ProjectionKey>().AnyAsync(k => k.Projection == row.Projection && k.Version == v, cancellationToken)
                || await db.Set<ProjectionPosition>().AnyAsync(p => p.Projection == row.Projection && p.Version == v, cancellationToken))
                leftovers.Add(version);
        }
        return leftovers;
    }
}
