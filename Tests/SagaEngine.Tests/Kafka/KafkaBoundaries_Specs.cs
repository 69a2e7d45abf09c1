using NetArchTest.Rules;

namespace SagaEngine.Tests.Kafka;

public class KafkaBoundaries_Specs
{
    [Fact]
    public void Should_keep_the_kafka_layer_free_of_the_order_flow()
    {
        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().ResideInNamespace("SagaEngine.Host.Kafka")
            .ShouldNot().HaveDependencyOnAny("SagaEngine.Sagas", "SagaEngine.Consumers", "SagaEngine.Contracts", "SagaEngine.Host.Persistence")
            .GetResult();

        Assert.True(result.IsSuccessful, $"Depend on the order flow: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
