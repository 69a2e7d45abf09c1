using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SagaEngine.Host.Kafka.GroupReset;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Security;

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
        kafka.MapPost("/consumer-groups/{group}/reset", ResetConsumerGroup)
            .WithSummary("Move a consumer group to the oldest retained record, the end, or a time: its members in this host pause, move and resume")
            .WithDescription("Body: {\"to\": \"earliest\" | \"latest\" | \"<ISO 8601 time>\"}. Answers each partition's old and new offset. " +
                             "409 when members of the group outside this host are active, or when a projection would skip events it has not applied.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Ok<ConsumerGroupResetView>, ValidationProblem, ProblemHttpResult>> ResetConsumerGroup(
        string group, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ConsumerGroupResetRequest? request, ConsumerGroupReset reset,
        CancellationToken cancellationToken)
    {
        if (ResetTarget.Parse(request?.To) is not { } target)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = ["Required: \"earliest\", \"latest\" or an ISO 8601 time such as 2026-11-30T12:00:00Z."]
            });
        try
        {
            var result = await reset.Reset(group, target, cancellationToken);
            return result.Refusal switch
            {
                null => TypedResults.Ok(new ConsumerGroupResetView(group, target.Text, result.Moves)),
                ResetRefusal.UnknownGroup => TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status404NotFound, title: "No such consumer group."),
                _ => TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status409Conflict, title: "The consumer group cannot be reset from this host now.")
            };
        }
        catch (KafkaException e)
        {
            return Unavailable(e);
        }
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

/// <param name="To"><c>earliest</c> (the oldest record the topics retain), <c>latest</c> (the end), or an ISO 8601 time (the first record at or after it).</param>
public record ConsumerGroupResetRequest(string? To);

/// <param name="Group">The consumer group.</param>
/// <param name="To">Where it was moved: earliest, latest, or the time (UTC).</param>
/// <param name="Partitions">Each partition's next offset before and after the reset, and the member of this host that moved it.</param>
public record ConsumerGroupResetView(string Group, string To, IReadOnlyList<PartitionMove> Partitions);
