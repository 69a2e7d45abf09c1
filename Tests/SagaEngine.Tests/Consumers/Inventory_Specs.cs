using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Consumers;

public class Reserving_inventory
{
    static readonly Uri Inventory = ServiceEndpoints.InventoryAddress;

    [Fact]
    public async Task Should_take_every_line_from_stock_and_reply_reserved()
    {
        await using var s = await ServicesHarness.Start(("A", 10), ("B", 4));
        var id = Guid.NewGuid();

        await s.Send(Inventory, new ReserveInventory(id, [new("A", 3, 1m), new("B", 4, 1m), new("A", 1, 1m)]));

        Assert.Equal((6, 4), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
        Assert.Equal((0, 4), ((await s.Stock("B")).Available, (await s.Stock("B")).Reserved));
        Assert.Equal([new InventoryReserved(id)], s.Published<InventoryReserved>());
    }

    [Fact]
    public async Task Should_reserve_nothing_when_one_line_is_short()
    {
        await using var s = await ServicesHarness.Start(("A", 10), ("B", 4));
        var id = Guid.NewGuid();

        await s.Send(Inventory, new ReserveInventory(id, [new("A", 3, 1m), new("B", 5, 1m)]));

        Assert.Equal((10, 0), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
        Assert.Equal((4, 0), ((await s.Stock("B")).Available, (await s.Stock("B")).Reserved));
        Assert.Equal([new InventoryReservationFailed(id, FailureReasons.OutOfStock)], s.Published<InventoryReservationFailed>());
        Assert.Empty(s.Published<InventoryReserved>());
    }

    [Fact]
    public async Task Should_reserve_nothing_when_one_sku_is_unknown()
    {
        await using var s = await ServicesHarness.Start(("A", 10));
        var id = Guid.NewGuid();

        await s.Send(Inventory, new ReserveInventory(id, [new("A", 3, 1m), new("NOPE", 1, 1m)]));

        Assert.Equal(10, (await s.Stock("A")).Available);
        Assert.Equal([new InventoryReservationFailed(id, FailureReasons.UnknownSku)], s.Published<InventoryReservationFailed>());
    }

    [Fact]
    public async Task Should_change_nothing_the_second_time_and_give_the_same_answer()
    {
        await using var s = await ServicesHarness.Start(("A", 10));
        var id = Guid.NewGuid();
        var command = new ReserveInventory(id, [new("A", 3, 1m)]);

        await s.Send(Inventory, command);
        await s.Send(Inventory, command);

        Assert.Equal((7, 3), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
        Assert.Equal([new InventoryReserved(id), new InventoryReserved(id)], s.Published<InventoryReserved>());
    }

    [Fact]
    public async Task Should_not_spend_the_same_stock_twice_when_orders_race()
    {
        await using var s = await ServicesHarness.Start(("A", 5));
        var orders = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();

        var endpoint = await s.Harness.Bus.GetSendEndpoint(Inventory);
        await Task.WhenAll(orders.Select(id => endpoint.Send(new ReserveInventory(id, [new("A", 1, 1m)]))));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (s.Published<InventoryReserved>().Count + s.Published<InventoryReservationFailed>().Count < orders.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, "Not every reservation was answered.");
            await Task.Delay(20);
        }

        Assert.Equal(5, s.Published<InventoryReserved>().Count);
        Assert.Equal(5, s.Published<InventoryReservationFailed>().Count(f => f.Reason == FailureReasons.OutOfStock));
        Assert.Equal((0, 5), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
    }
}

public class Two_reservations_from_the_same_read
{
    [Fact]
    public async Task Should_let_only_the_first_write_through()
    {
        await using var s = await ServicesHarness.Start(("A", 5));

        // Two consumers read the same count before either writes: the second write must fail and be retried.
        await s.Query(async first => await s.Query(async second =>
        {
            var a = await first.Set<StockItem>().SingleAsync(x => x.Sku == "A");
            var b = await second.Set<StockItem>().SingleAsync(x => x.Sku == "A");
            foreach (var item in (StockItem[])[a, b])
                (item.Available, item.Reserved, item.Version) = (item.Available - 5, item.Reserved + 5, item.Version + 1);
            await first.SaveChangesAsync();
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
            return 0;
        }));

        Assert.Equal((0, 5), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
    }
}

public class Releasing_inventory
{
    static readonly Uri Inventory = ServiceEndpoints.InventoryAddress;

    [Fact]
    public async Task Should_put_the_reserved_quantity_back_once()
    {
        await using var s = await ServicesHarness.Start(("A", 10));
        var id = Guid.NewGuid();
        await s.Send(Inventory, new ReserveInventory(id, [new("A", 4, 1m)]));

        await s.Send(Inventory, new ReleaseInventory(id));
        await s.Send(Inventory, new ReleaseInventory(id));

        Assert.Equal((10, 0), ((await s.Stock("A")).Available, (await s.Stock("A")).Reserved));
        Assert.Equal([new InventoryReleased(id), new InventoryReleased(id)], s.Published<InventoryReleased>());
    }

    [Fact]
    public async Task Should_confirm_a_release_of_nothing_and_keep_a_later_reservation_from_holding_stock()
    {
        await using var s = await ServicesHarness.Start(("A", 10));
        var id = Guid.NewGuid();

        await s.Send(Inventory, new ReleaseInventory(id));
        await s.Send(Inventory, new ReserveInventory(id, [new("A", 4, 1m)]));

        Assert.Equal(10, (await s.Stock("A")).Available);
        Assert.Equal([new InventoryReleased(id)], s.Published<InventoryReleased>());
        Assert.Empty(s.Published<InventoryReserved>());
    }
}
