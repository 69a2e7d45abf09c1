using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Consumers.Projections.OrderStats;
using SagaEngine.Consumers.Projections.Sales;

namespace SagaEngine.Host.Api;

/// <summary>One order as its customer's list shows it (the customer-orders read model).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="State">AwaitingInventory, AwaitingPayment, Compensating, Confirmed or Cancelled.</param>
/// <param name="Total">What the order costs.</param>
/// <param name="Currency">Its currency.</param>
/// <param name="Lines">How many lines the order has.</param>
/// <param name="FailureReason">Why it was cancelled (or is being), if it was.</param>
/// <param name="CreatedAt">When it was submitted (UTC).</param>
/// <param name="UpdatedAt">When its state last changed (UTC).</param>
public record CustomerOrderView(
    Guid OrderId, string State, decimal Total, string Currency, int Lines, string? FailureReason, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static CustomerOrderView From(CustomerOrder o) => new(o.OrderId, o.State, o.Total, o.Currency, o.Lines, o.FailureReason, o.CreatedAt, o.UpdatedAt);
}

/// <summary>A page of a customer's orders, newest first; pass <see cref="Next"/> as <c>after</c> for the following page.</summary>
public record CustomerOrderPage(string CustomerId, IReadOnlyList<CustomerOrderView> Items, string? Next);

/// <summary>What confirmed orders sold of one SKU in one bucket (in one currency: orders in several currencies give a row each).</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Bucket">The bucket's start (UTC): an hour, or a day.</param>
/// <param name="Units">Units sold.</param>
/// <param name="Revenue">Units times the unit prices they were ordered at.</param>
/// <param name="Currency">The orders' currency.</param>
public record SalesRowView(string Sku, DateTime Bucket, long Units, decimal Revenue, string Currency)
{
    public static SalesRowView From(SalesBucket b) => new(b.Sku, b.Hour, b.Units, b.Revenue, b.Currency);
}

/// <param name="From">The first bucket's start (UTC).</param>
/// <param name="To">The end of the range (UTC), exclusive.</param>
/// <param name="Granularity"><c>hour</c> or <c>day</c>.</param>
/// <param name="Sku">The SKU asked for; null for all.</param>
/// <param name="Rows">One per SKU (and currency) per bucket with sales, by bucket then SKU.</param>
public record SalesReport(DateTime From, DateTime To, string Granularity, string? Sku, IReadOnlyList<SalesRowView> Rows);

/// <param name="From">The first minute's start (UTC).</param>
/// <param name="To">The end of the range (UTC), exclusive.</param>
/// <param name="Minutes">One per minute with any order submitted or ended in it.</param>
public record OrderStatsReport(DateTime From, DateTime To, IReadOnlyList<OrderStatsReportMinute> Minutes);
