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
    public void The_contracts_catalog_should_know_neither_masstransit_nor_the_host()
    {
        // Upcasters are pure JSON-to-JSON steps: the Kafka consumer, dead-letter replay and event store all run them.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Contracts.Schemas")
            .ShouldNot().HaveDependencyOnAny("MassTransit", "SagaEngine.Host", "Microsoft.EntityFrameworkCore", "Confluent.Kafka"));
    }

    [Fact]
    public void The_order_flow_should_not_know_the_host_kafka_or_ef()
    {
        // The saga's EF mapping (OrderStateMap) sits beside the saga by the style guide, and its definition
        // states the endpoint's policy (below); the flow itself does neither.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Sagas").And().DoNotHaveNameEndingWith("Map")
            .And().DoNotHaveNameEndingWith("Definition")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host", "SagaEngine.Consumers", "Microsoft.EntityFrameworkCore", "Confluent.Kafka"));
    }

    /// <summary>
    /// The one way in which the order flow and the services lean on the host: an endpoint's definition (or
    /// the services' shared <c>ServicePolicy</c>) states its retry policy and transactional outbox with the
    /// host's extensions, named in its usings rather than hidden in MassTransit's namespace.
    /// </summary>
    [Fact]
    public void Endpoint_policies_should_use_only_the_hosts_retry_and_outbox_extensions()
    {
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Sagas").Or().ResideInNamespace("SagaEngine.Consumers")
            .And().HaveNameEndingWith("Definition").Or().HaveName("ServicePolicy")
            .ShouldNot().HaveDependencyOnAny(HostTypesOtherThanThePolicyExtensions()));
    }

    [Fact]
    public void No_type_of_the_engine_should_live_in_masstransits_namespace()
    {
        var hidden = typeof(OrderStateMachine).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == "MassTransit" || ns.StartsWith("MassTransit.", StringComparison.Ordinal)))
            .Select(t => t.FullName).ToList();
        Assert.Empty(hidden);
    }

    /// <summary>
    /// Every type of the host's own code but the retry and outbox extensions, by full name: a namespace
    /// would not do, since HaveDependencyOnAny matches names by prefix and the extensions' namespaces
    /// start with their parents'.
    /// </summary>
    static string[] HostTypesOtherThanThePolicyExtensions() =>
        typeof(OrderStateMachine).Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && ns.StartsWith("SagaEngine.Host", StringComparison.Ordinal)
                        && ns != "SagaEngine.Host.Messaging.Retry" && ns != "SagaEngine.Host.Persistence.Outbox")
            .Select(t => t.FullName!)
            .ToArray();

    [Fact]
    public void The_services_should_not_know_the_host_the_saga_or_kafka()
    {
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Consumers").And().DoNotResideInNamespace("SagaEngine.Consumers.Projections")
            .And().DoNotHaveName("ServicePolicy").And().DoNotHaveNameEndingWith("Definition")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Host", "SagaEngine.Sagas", "Confluent.Kafka"));
    }

    [Fact]
    public void The_read_model_projections_should_know_only_the_projection_runners_contract_and_the_model_hook_of_the_host()
    {
        // A projection implements the runner's IProjection and maps its tables through IModelMapping, as a
        // consumer implements MassTransit's IConsumer: the contract of its framework, nothing else of the host.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Consumers.Projections")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "Confluent.Kafka", "MassTransit", "SagaEngine.Host.Kafka", "SagaEngine.Host.Api",
                "SagaEngine.Host.Messaging", "SagaEngine.Host.Security", "SagaEngine.Host.Health", "SagaEngine.Host.Telemetry",
                "SagaEngine.Host.Persistence.Outbox", "SagaEngine.Host.Persistence.Relay", "SagaEngine.Host.Persistence.Inbox",
                "SagaEngine.Host.Projections.Applying", "SagaEngine.Host.Projections.Rebuild"));
    }

    [Fact]
    public void The_projection_runner_should_not_know_the_read_models_it_runs_nor_the_http_api()
    {
        // Host/Projections (runner, positions, gap hold, rebuild, reset) is generic: the order folds live in
        // Consumers/Projections and reach it only through IProjection; the routes over it live in Host/Api.
        AssertHolds(Host.That().ResideInNamespaceStartingWith("SagaEngine.Host.Projections")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Consumers", "SagaEngine.Contracts", "SagaEngine.Sagas", "MassTransit",
                "SagaEngine.Host.Api", "SagaEngine.Host.Messaging"));
    }

    [Fact]
    public void The_commit_batch_should_know_only_EF_and_the_database()
    {
        // Rows held for the commit are written from EF's mapping alone: the outbox and the saga repository
        // use it, not the other way round, so it knows neither them nor the bus.
        AssertHolds(Host.That().ResideInNamespace("SagaEngine.Host.Persistence.Writes")
            .ShouldNot().HaveDependencyOnAny("MassTransit", "SagaEngine.Host.Persistence.Outbox", "SagaEngine.Host.Persistence.SagaRepository",
                "SagaEngine.Host.Persistence.Relay", "SagaEngine.Host.Kafka"));
    }

    [Fact]
    public void Generic_infrastructure_should_not_know_about_orders()
    {
        AssertHolds(Host.That().ResideInNamespaceStartingWith("SagaEngine.Host.Persistence")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Kafka")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.EventStore")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Security")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Schemas")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Validation")
            .Or().ResideInNamespaceStartingWith("SagaEngine.Host.Projections")
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
