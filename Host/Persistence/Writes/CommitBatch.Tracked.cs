using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.Host.Persistence.Writes;

public sealed partial class CommitBatch
{
    /// <summary>
    /// Values a held statement of many rows binds at most: PostgreSQL takes up to 65535, but a statement that
    /// size costs more to build than it saves; Microsoft.Data.Sqlite finds each parameter by walking the
    /// statement's list, so statements stay small there.
    /// </summary>
    const int MaxParametersPostgres = 1000, MaxParametersSqlite = 200;

    /// <summary>
    /// More changed rows than this are left to SaveChanges: Microsoft.Data.Sqlite binds each statement of a command
    /// by trying every parameter of the command, so one command of thousands of rows costs the square of them.
    /// </summary>
    const int MaxHeldRows = 500;

    /// <summary>
    /// Holds for the commit what <paramref name="db"/>'s change tracker would save, for each type whose rows plain
    /// statements write (<see cref="RowSql"/>; of a type with JSON columns, its new rows only, with the owned
    /// entities in their JSON): one INSERT for its added rows and one UPDATE … FROM (VALUES …) for its modified
    /// ones, as few statements as the parameter budget allows, and a DELETE for each removed row. Updated and
    /// removed rows are written only where their concurrency token still holds what they were read with; the
    /// commit fails as <c>SaveChanges</c> would otherwise. The entries held become unchanged, removed ones and
    /// new ones with JSON columns detached: nothing that runs later in the transaction can see their rows, so
    /// this is for the last writes before the commit.
    /// </summary>
    /// <returns>
    /// True when nothing is left to save; false when something is (no transaction, a context this interceptor
    /// is not on, more than <see cref="MaxHeldRows"/> rows, a changed or removed row with JSON columns, an owned
    /// entity changed on its own, a type <see cref="RowSql"/> leaves to EF, a key the database generates), which
    /// the caller then saves with <c>SaveChanges</c>.
    /// </returns>
    public bool HoldTrackedChanges(DbContext db)
    {
        if (db.Database.CurrentTransaction is null || !IsOn(db))
            return false;

        var maxParameters = db.Database.IsPostgres() ? MaxParametersPostgres : MaxParametersSqlite;
        var leftToEf = false;
        var changed = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .GroupBy(e => e.Metadata).ToList();
        if (changed.Sum(g => g.Count()) > MaxHeldRows)
            return false;
        // The owned entities whose JSON a held INSERT writes: EF tracks them as entries of their own.
        var writtenWithOwner = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var entries in changed)
        {
            if (entries.Key.IsOwned() || RowSql.For(entries.Key) is not { } sql || entries.Any(HasTemporaryValue)
                // A changed JSON column may show only as a changed owned entry: only new rows of such a type are held.
                || (sql.HasJsonColumns && entries.Any(e => e.State != EntityState.Added)))
            {
                leftToEf |= !entries.Key.IsOwned();
                continue;
            }
            if (sql.HasJsonColumns)
                foreach (var entry in entries)
                    CollectOwned(entry.Metadata, entry.Entity, writtenWithOwner);

            foreach (var removed in entries.Where(e => e.State == EntityState.Deleted))
            {
                var (entity, token) = (removed.Entity, sql.OriginalToken(removed));
                Hold(db, new HeldWrite(Kind.Rows, null, command => sql.Delete(command, entity, token), ExpectedRows: 1));
            }
            var added = entries.Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            if (added.Count > 0)
                Hold(db, new HeldWrite(Kind.Rows, null, command => string.Join(";\n", sql.InsertRows(command, added, maxParameters))));
            var updated = entries.Where(e => e.State == EntityState.Modified).Select(e => (e.Entity, sql.OriginalToken(e)));
            // A statement each, so that each has its own count of rows to change (see Guarded).
            foreach (var chunk in updated.Chunk(sql.RowsPerStatement(maxParameters)))
                Hold(db, new HeldWrite(Kind.Rows, null, command => sql.UpdateRows(command, chunk), ExpectedRows: chunk.Length));

            foreach (var entry in entries)
                if (sql.HasJsonColumns)
                    // Its owned entries' keys are EF's own temporary ordinals, which no saved entry may keep.
                    entry.State = EntityState.Detached;
                else
                    Written(entry);
        }
        // An owned entry is saved with its owner's row: held and let go with it, or left to EF with it.
        foreach (var entry in changed.Where(g => g.Key.IsOwned()).SelectMany(g => g))
            if (writtenWithOwner.Contains(entry.Entity))
                entry.State = EntityState.Detached;
            else
                leftToEf = true;
        return !leftToEf;
    }

    /// <summary>Every entity <paramref name="entity"/>'s JSON columns hold, however deep.</summary>
    static void CollectOwned(IEntityType type, object entity, HashSet<object> owned)
    {
        foreach (var navigation in type.GetNavigations().Where(n => n.TargetEntityType.IsMappedToJson()))
        {
            var value = navigation.GetGetter().GetClrValueUsingContainingEntity(entity);
            IEnumerable<object> children = value switch
            {
                null => [],
                System.Collections.IEnumerable many when navigation.IsCollection => many.Cast<object>(),
                _ => [value]
            };
            foreach (var child in children)
                if (owned.Add(child))
                    CollectOwned(navigation.TargetEntityType, child, owned);
        }
    }

    /// <summary>
    /// Marks the entry as saved, as SaveChanges does once its rows are written. The values it was read with
    /// become the current ones first: EF puts a modified property marked unmodified back to its original value.
    /// </summary>
    static void Written(EntityEntry entry)
    {
        if (entry.State == EntityState.Deleted)
        {
            entry.State = EntityState.Detached;
            return;
        }
        if (entry.State == EntityState.Modified)
            entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }

    /// <summary>An added row whose key EF keeps a temporary value for: the database gives it, and only EF reads it back.</summary>
    static bool HasTemporaryValue(EntityEntry entry) =>
        entry.State == EntityState.Added && entry.Properties.Any(p => p.IsTemporary);

    /// <summary>Whether <paramref name="db"/> runs this interceptor, without which what it holds would never be sent.</summary>
    bool IsOn(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Contains(this) == true;
}
