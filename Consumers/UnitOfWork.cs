using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Consumers;

/// <summary>
/// How a service leaves its writes to the transaction it runs in. In the host every message runs in the
/// transactional outbox's transaction, which saves what its handler left unsaved with the COMMIT, in the same
/// round trip, rather than in one of its own before it. A handler run without one (the services' test harness,
/// over MassTransit's in-memory outbox) saves here.
/// </summary>
static class UnitOfWork
{
    public static Task SaveUnlessInTransaction(DbContext db, CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null ? db.SaveChangesAsync(cancellationToken) : Task.CompletedTask;
}
