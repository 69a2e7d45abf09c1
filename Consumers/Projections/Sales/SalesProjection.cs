using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.Sales;

/// <summary><c>sales</c>: units and revenue of confirmed orders per SKU and hour, for <c>GET /reports/sales</c>.</summary>
public sealed class SalesProjection : OrderProjection
{
    public const string ProjectionName = "sales";

    public override string Name => ProjectionName;

    public override IReadOnlyList<string> Tables { get; } = [SalesTables.Table];

    public override async Task Apply(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var orders = batch.Keys.ToDictionary(k => k, batch.State<SalesOrder>, StringComparer.Ordinal);
        var sold = new Dictionary<(string Sku, string Currency, DateTime Hour), (long Units, decimal Revenue)>();
        foreach (var e in batch.Events)
        {
            var (order, lines) = SalesFold.Apply(orders[e.Key], e.Message, e.OccurredAt);
            orders[e.Key] = order;
            foreach (var line in lines)
            {
                var (units, revenue) = sold.GetValueOrDefault((line.Sku, line.Currency, line.Hour));
                sold[(line.Sku, line.Currency, line.Hour)] = (units + line.Units, revenue + line.Revenue);
            }
        }
        foreach (var (key, order) in orders)
            batch.SetState(key, order);
        if (sold.Count == 0)
            return;

        var rows = batch.Db.Rows<SalesBucket>(batch.Slot, SalesTables.Table);
        var hours = sold.Keys.Select(k => k.Hour).Distinct().ToList();
        var skus = sold.Keys.Select(k => k.Sku).Distinct().ToList();
        var stored = (await rows.Where(b => EF.Parameter(hours).Contains(b.Hour) && EF.Parameter(skus).Contains(b.Sku)).ToListAsync(cancellationToken))
            .ToDictionary(b => (b.Sku, b.Currency, b.Hour));
        foreach (var (key, (units, revenue)) in sold)
        {
            if (stored.TryGetValue(key, out var row))
                batch.Db.Entry(row).CurrentValues.SetValues(row with { Units = row.Units + units, Revenue = row.Revenue + revenue, Revision = row.Revision + 1 });
            else
                rows.Add(new SalesBucket { Sku = key.Sku, Currency = key.Currency, Hour = key.Hour, Units = units, Revenue = revenue });
        }
    }
}
