using SagaEngine.Consumers.Inventory;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Consumers;

public class StockRules_Specs
{
    static Dictionary<string, StockItem> Stock(params (string Sku, int Available)[] items) =>
        items.ToDictionary(i => i.Sku, i => new StockItem { Sku = i.Sku, Available = i.Available });

    [Fact]
    public void Should_add_up_lines_that_name_the_same_sku()
    {
        var lines = StockRules.Combine([new OrderLine("B", 2, 1m), new OrderLine("A", 1, 1m), new OrderLine("B", 3, 1m)]);

        Assert.Equal([("A", 1), ("B", 5)], lines.Select(l => (l.Sku, l.Quantity)));
    }

    [Fact]
    public void Should_refuse_an_unknown_sku_even_when_other_lines_are_in_stock()
    {
        var stock = Stock(("A", 10));

        Assert.Equal(FailureReasons.UnknownSku,
            StockRules.WhyNotReservable([new ReservedLine { Sku = "A", Quantity = 1 }, new ReservedLine { Sku = "Z", Quantity = 1 }], stock));
    }

    [Fact]
    public void Should_refuse_when_any_line_needs_more_than_is_available()
    {
        var stock = Stock(("A", 10), ("B", 2));

        Assert.Equal(FailureReasons.OutOfStock,
            StockRules.WhyNotReservable([new ReservedLine { Sku = "A", Quantity = 1 }, new ReservedLine { Sku = "B", Quantity = 3 }], stock));
    }

    [Fact]
    public void Should_allow_taking_exactly_what_is_available()
    {
        Assert.Null(StockRules.WhyNotReservable([new ReservedLine { Sku = "B", Quantity = 2 }], Stock(("B", 2))));
    }
}
