using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// A projection's row type mapped once per <see cref="ProjectionSlot"/>: the same class in two tables
/// (<c>{table}_blue</c>, <c>{table}_green</c>), as EF Core shared-type entities named after their tables.
/// </summary>
public static class SlottedTables
{
    /// <summary>Maps <typeparamref name="T"/> to <c>{table}_blue</c> and <c>{table}_green</c>, configured alike.</summary>
    public static void Map<T>(ModelBuilder model, string table, Action<EntityTypeBuilder<T>> configure) where T : class
    {
        foreach (var slot in ProjectionSlot.All)
        {
            var name = slot.Table(table);
            var entity = model.SharedTypeEntity<T>(name);
            entity.ToTable(name);
            configure(entity);
        }
    }

    /// <summary>The rows of <paramref name="table"/> in <paramref name="slot"/>.</summary>
    public static DbSet<T> Rows<T>(this DbContext db, ProjectionSlot slot, string table) where T : class => db.Set<T>(slot.Table(table));
}
