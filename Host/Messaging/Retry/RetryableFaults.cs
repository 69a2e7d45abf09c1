using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.Messaging.Retry;

/// <summary>
/// Which failures are worth retrying inside the partition, and how: a concurrency conflict is read
/// again at once; a transient fault is waited out; anything else (a message that cannot be read, a
/// validation failure, an unknown type) is permanent and is not retried at all.
/// </summary>
public static class RetryableFaults
{
    public static bool IsConcurrencyConflict(Exception e) =>
        // A stale version, a duplicate insert lost to a concurrent twin, or an event stream another writer appended to first.
        e is DbUpdateConcurrencyException or StreamVersionConflictException || (e is DbUpdateException && !IsTransient(e));

    public static bool IsTransient(Exception e, IReadOnlyCollection<Type>? alsoTransient = null)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is TimeoutException or NpgsqlException { IsTransient: true }
                || current is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
                || alsoTransient?.Any(t => t.IsInstanceOfType(current)) == true)
                return true;
        }
        return false;
    }
}
