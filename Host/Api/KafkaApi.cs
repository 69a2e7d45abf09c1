using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.Kafka.Monitoring;

namespace SagaEngine.Host.Api;

/// <summary>Where Kafka is, which topics it has, and how far behind each consumer group is.</summary>
public static class KafkaApi
{
    public static IEndpointRouteBuilder MapKafkaApi(this IEndpointRouteBuilder app)
    {
        var kafka = app.MapGroup("/kafka").WithTags("Kafka");

        kafka.MapGet("/", GetOverview)
            .WithSummary("The Kafka cluster in use: bootstrap address, whether it is the embedded broker, topics and their partitions");
        kafka.MapGet("/consumer-groups", GetConsumerGroups)
            .WithSummary("Each consumer group's committed offset, high watermark and lag per partition, and its members");
        return app;
    }

    static async Task<Results<Ok<KafkaOverview>, ProblemHttpResult>> GetOverview(KafkaInspector inspector)
    {
        try
        {
            return TypedResults.Ok(await Task.Run(inspector.Overview));
        }
        catch (KafkaException e)
        {
            return Unavailable(e);
        }
    }

    static async Task<Results<Ok<ConsumerGroupsView>, ProblemHttpResult>> GetConsumerGroups(KafkaInspector inspector)
    {
        try
        {
            return TypedResults.Ok(await Task.Run(inspector.ConsumerGroups));
        }
        catch (KafkaException e)
        {
            return Unavailable(e);
        }
    }

    static ProblemHttpResult Unavailable(KafkaException e) =>
        TypedResults.Problem(title: "Kafka did not answer.", detail: e.Error.Reason, statusCode: StatusCodes.Status503ServiceUnavailable);
}
