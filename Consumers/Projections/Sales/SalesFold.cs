using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Projections.Sales;

/// <summary>
/// What one order's events add to the sales read model, as a pure function: an order's lines count once,
/// when it is confirmed, in the hour (UTC) of its confirmation, at the unit prices it was submitted with.
/// </summary>
public static class SalesFold
{
    public static (SalesOrder? Order, IReadOnlyList<SalesLine> Sold) Apply(SalesOrder? order, object @event, DateTime at) => @event switch
    {
        OrderSubmitted e => (new SalesOrder(e.Items.Select(i => new SalesOrderLine(i.Sku, i.Quantity, i.UnitPrice)).ToList()), []),
        OrderConfirmed e => (null, Sold(e.Items?.Select(i => new SalesOrderLine(i.Sku, i.Quantity, i.UnitPrice)).ToList() ?? order?.Lines, e.Currency, at)),
        OrderCancelled => (null, []),
        _ => (order, [])
    };

    public static DateTime HourOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);

    static IReadOnlyList<SalesLine> Sold(IReadOnlyList<SalesOrderLine>? lines, string currency, DateTime at) =>
        lines?.Select(l => new SalesLine(l.Sku, currency, HourOf(at), l.Quantity, l.Quantity * l.UnitPrice)).ToList() ?? [];
}
