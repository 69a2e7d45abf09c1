using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Consumers.Projections.OrderStats;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Host.Projections;

namespace SagaEngine.Consumers.Projections;

public static class ProjectionRegistration
{
    /// <summary>The order flow's read models; each reads the topics and group under <c>Kafka:Endpoints:&lt;its name&gt;</c>.</summary>
    public static ProjectionsBuilder AddOrderProjections(this ProjectionsBuilder projections) => projections
        .Add<CustomerOrdersProjection>()
        .Add<SalesProjection>()
        .Add<OrderStatsProjection>();
}
