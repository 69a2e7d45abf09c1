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
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Contracts", "SagaEngine.Host.Api",
                "SagaEngine.Host.Messaging")
            .GetResult();

        Assert.True(result.IsSuccessful, "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    // How the order flow and the services lean on the host (their endpoints' retry and outbox policies, and
    // nothing else) is stated in Architecture/Layering_Specs.
}
