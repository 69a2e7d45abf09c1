using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>The stock rows as the inline projection of the SKU streams, for the event store to rebuild and check.</summary>
public sealed class StockProjection(DbContext db, StockRows rows) : IInlineProjection
{
    public const string ProjectionName = "stock";

    public string Name => ProjectionName;

    public IStreamFold Fold => StockFold.Instance;

    public async Task<IReadOnlyList<ProjectedRow>> ReadRows(CancellationToken cancellationToken) =>
        await db.Set<StockItem>().AsNoTracking()
            .Select(s => new ProjectedRow(StockFold.StreamId(s.Sku), s.Version, new StockLevel(s.Available, s.Reserved)))
            .ToListAsync(cancellationToken);

    public async Task<long?> LockRow(string streamId, CancellationToken cancellationToken) =>
        await rows.Lock(Sku(streamId), cancellationToken);

    public Task WriteRow(ProjectedRow row, CancellationToken cancellationToken) =>
        rows.Write(Sku(row.StreamId), (StockLevel)row.State, checked((int)row.Version), cancellationToken);

    static string Sku(string streamId) =>
        StreamIds.TrySplit(streamId, out var category, out var sku) && category == StockFold.StreamCategory
            ? sku
            : throw new ArgumentException($"'{streamId}' is not a SKU stream.", nameof(streamId));
}
