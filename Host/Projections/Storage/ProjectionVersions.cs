using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Projections.Storage;

/// <summary>Which version of a projection is live, as every reader and writer of it looks it up.</summary>
public static class ProjectionVersions
{
    /// <summary>Version 1 (in blue) until a rebuild swaps another in.</summary>
    public const int First = 1;

    /// <summary>The row of a projection, created as version 1 the first time any host starts it.</summary>
    public static async Task<ProjectionVersion> Ensure(DbContext db, string projection, CancellationToken cancellationToken)
    {
        if (await db.Set<ProjectionVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.Projection == projection, cancellationToken) is { } existing)
            return existing;
        var created = new ProjectionVersion { Projection = projection, Active = First, LastVersion = First };
        db.Add(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return created;
        }
        catch (DbUpdateException)
        {
            // Another host created it at the same moment.
            db.ChangeTracker.Clear();
            return await db.Set<ProjectionVersion>().AsNoTracking().SingleAsync(v => v.Projection == projection, cancellationToken);
        }
    }

    /// <summary>The version queries read now: version 1 when the projection never ran.</summary>
    public static async Task<int> Active(DbContext db, string projection, CancellationToken cancellationToken) =>
        await db.Set<ProjectionVersion>().AsNoTracking().Where(v => v.Projection == projection)
            .Select(v => (int?)v.Active).SingleOrDefaultAsync(cancellationToken) ?? First;

    /// <summary>The tables queries read now.</summary>
    public static async Task<ProjectionSlot> ActiveSlot(DbContext db, string projection, CancellationToken cancellationToken) =>
        ProjectionSlot.Of(await Active(db, projection, cancellationToken));
}
