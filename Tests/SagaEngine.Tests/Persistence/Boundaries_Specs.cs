using NetArchTest.Rules;
using SagaEngine.Host.Persistence;

namespace SagaEngine.Tests.Persistence;

/// <summary>The persistence infrastructure is generic: nothing in it knows about orders.</summary>
public class Boundaries_Specs
{
    static Types Host => Types.InAssembly(typeof(SagaEngineDbContext).Assembly);

    [Fact]
    public void Persistence_infrastructure_knows_nothing_of_orders()
    {
        var result = Host.That().ResideInNamespaceStartingWith("SagaEngine.Host.Persistence")
            .Or().HaveName("TransactionalOutboxConfigurationExtensions")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Contracts", "SagaEngine.Host.Api",
                "SagaEngine.Host.Messaging")
            .GetResult();

        Assert.True(result.IsSuccessful, "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_order_flow_and_the_services_state_their_outbox_policy_without_knowing_the_host()
    {
        var result = Host.That().ResideInNamespace("SagaEngine.Sagas").And().DoNotHaveNameEndingWith("Map")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Consumers")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host")
            .GetResult();

        Assert.True(result.IsSuccessful, "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
