using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Sagas;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// The saga's definition asks for the transactional outbox; a harness that runs the saga without any
/// database gets MassTransit's in-memory outbox instead, so saga specs need no database.
/// </summary>
public class Without_a_database_Specs
{
    [Fact]
    public async Task The_saga_runs_on_the_in_memory_outbox()
    {
        await using var provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddMassTransitTestHarness(x => x.AddOrderSaga().InMemoryRepository())
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var orderId = Guid.NewGuid();

        await harness.Bus.Publish(new OrderSubmitted(orderId, "cust-1", "EUR", [new OrderLine("SKU-1", 1, 10m)], 10m, "tok_ok", DateTime.UtcNow));

        Assert.True(await harness.Sent.Any<ReserveInventory>(m => m.Context.Message.OrderId == orderId));
        Assert.False(await harness.Consumed.Any<OrderSubmitted>(m => m.Exception is not null));
    }
}
