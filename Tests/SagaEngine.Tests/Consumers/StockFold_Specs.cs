using SagaEngine.Consumers.Inventory;

namespace SagaEngine.Tests.Consumers;

/// <summary>A SKU's counts folded from its events, without storage (see docs/event-store.md).</summary>
public class StockFold_Specs
{
    static StockLevel Fold(params object[] events) => events.Aggregate(StockFold.Instance.Initial, StockFold.Instance.Apply);

    [Fact]
    public void Should_start_with_nothing()
    {
        Assert.Equal(new StockLevel(0, 0), Fold());
    }

    [Fact]
    public void Should_add_receipts_to_what_is_available()
    {
        Assert.Equal(new StockLevel(15, 0), Fold(new StockReceived(10, StockSources.InitialStock), new StockReceived(5, StockSources.Receipt)));
    }

    [Fact]
    public void Should_move_a_reservation_from_available_to_reserved_and_a_release_back()
    {
        var order = Guid.NewGuid();

        Assert.Equal(new StockLevel(7, 3), Fold(new StockReceived(10, StockSources.InitialStock), new StockReserved(order, 3)));
        Assert.Equal(new StockLevel(10, 0),
            Fold(new StockReceived(10, StockSources.InitialStock), new StockReserved(order, 3), new StockReleased(order, 3)));
    }

    [Fact]
    public void Should_take_the_counts_of_an_adopted_row_as_they_were()
    {
        Assert.Equal(new StockLevel(4, 2), Fold(new StockCounted(4, 2)));
        Assert.Equal(new StockLevel(5, 1), Fold(new StockCounted(4, 2), new StockReleased(Guid.NewGuid(), 1)));
    }

    [Fact]
    public void Should_ignore_an_event_it_does_not_know()
    {
        Assert.Equal(new StockLevel(10, 0), Fold(new StockReceived(10, StockSources.InitialStock), "not a stock event"));
    }
}
