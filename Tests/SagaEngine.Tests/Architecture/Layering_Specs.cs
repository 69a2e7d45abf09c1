using NetArchTest.Rules;
using SagaEngine.Sagas;

namespace SagaEngine.Tests.Architecture;

/// <summary>The design card's boundaries, checked on the compiled host so they cannot erode quietly.</summary>
public class Layering_Specs
{
    static Types Host => Types.InAssembly(typeof(OrderStateMachine).Assembly);

    static void AssertHolds(ConditionList rule)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful, "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Contracts_should_depend_on_nothing_of_the_engine()
    {
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Contracts")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Host", "MassTransit",
                "Microsoft.EntityFrameworkCore", "Confluent.Kafka"));
    }

    [Fact]
    public void The_order_flow_should_not_know_the_host_kafka_or_ef()
    {
        // The saga's EF mapping (OrderStateMap) sits beside the saga by the style guide; the flow itself does not.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Sagas").And().DoNotHaveNameEndingWith("Map")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host", "SagaEngine.Consumers", "Microsoft.EntityFrameworkCore", "Confluent.Kafka"));
    }

    [Fact]
    public void The_services_should_not_know_the_host_the_saga_or_kafka()
    {
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Consumers")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host", "SagaEngine.Sagas", "Confluent.Kafka"));
    }

    [Fact]
    public void Generic_infrastructure_should_not_know_about_orders()
    {
        AssertHolds(Host.That().ResideInNamespaceStartingWith("SagaEngine.Host.Persistence")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Kafka")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.EventStore")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Contracts"));
    }

    [Fact]
    public void The_event_sourcing_abstractions_should_depend_on_nothing_of_the_engine()
    {
        // What the services (and the saga) append and fold through; the store implements it in the host.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.EventSourcing")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host", "SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Contracts",
                "MassTransit", "Microsoft.EntityFrameworkCore", "Confluent.Kafka"));
    }
}
