using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Projections;

/// <summary>Settings under <c>Projections</c>; each projection's topics and consumer group are under <c>Kafka:Endpoints:&lt;name&gt;</c>.</summary>
public class ProjectionsOptions
{
    public const string Section = "Projections";

    /// <summary>False runs no projection runner in this host (its queries still answer from the tables).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an event waits ahead of a missing one of its stream before it is applied anyway and the gap given up.</summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many records are applied in one transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a runner keeps polling for a fuller batch once it has a record.</summary>
    public TimeSpan BatchWait { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a runner's fetch waits for records on the embedded broker (unless <c>Kafka:FetchWaitMaxMs</c> is set), in ms.
    /// That broker answers a waiting fetch only when the wait is over, so a read model may trail a record by up to this
    /// much; in exchange its three runners' fetch loops cost an idle host a tenth of what the endpoints' 10 ms do.
    /// </summary>
    public int EmbeddedFetchWaitMaxMs { get; set; } = 100;

    /// <summary>At most this many events are applied in one transaction of a rebuild.</summary>
    public int RebuildBatchSize { get; set; } = 10_000;

    /// <summary>
    /// How far before the moment a rebuild read the event store its catch-up starts on the live topics:
    /// events relayed to Kafka but appended to the store later than that (a lagging writer) would be missed.
    /// </summary>
    public TimeSpan RebuildOverlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the tables of a swapped-out version are kept for queries that were reading them, before they are emptied.</summary>
    public TimeSpan RetiredVersionGrace { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the <c>Projections</c> settings, and that every projection has its topics and group under <c>Kafka:Endpoints</c>.</summary>
public sealed class ProjectionsOptionsValidator(IEnumerable<IProjection> projections, IOptions<KafkaOptions> kafka) : IValidateOptions<ProjectionsOptions>
{
    const string S = ProjectionsOptions.Section;

    public ValidateOptionsResult Validate(string? name, ProjectionsOptions options)
    {
        var errors = new List<string>();
        if (options.GapTimeout <= TimeSpan.Zero)
            errors.Add($"{S}:GapTimeout must be more than 0 (was {options.GapTimeout}).");
        if (options.BatchSize is < 1 or > 10_000)
            errors.Add($"{S}:BatchSize must be from 1 to 10000 (was {options.BatchSize}).");
        if (options.BatchWait < TimeSpan.Zero || options.BatchWait > TimeSpan.FromSeconds(5))
            errors.Add($"{S}:BatchWait must be from 0 to 5 seconds (was {options.BatchWait}).");
        if (options.EmbeddedFetchWaitMaxMs is < 0 or > 5_000)
            errors.Add($"{S}:EmbeddedFetchWaitMaxMs must be from 0 to 5000 (was {options.EmbeddedFetchWaitMaxMs}).");
        if (options.RebuildBatchSize is < 1 or > 100_000)
            errors.Add($"{S}:RebuildBatchSize must be from 1 to 100000 (was {options.RebuildBatchSize}).");
        if (options.RebuildOverlap < TimeSpan.Zero)
            errors.Add($"{S}:RebuildOverlap must not be negative (was {options.RebuildOverlap}).");
        if (options.RetiredVersionGrace < TimeSpan.Zero)
            errors.Add($"{S}:RetiredVersionGrace must not be negative (was {options.RetiredVersionGrace}).");
        foreach (var projection in projections.Where(p => !kafka.Value.Endpoints.ContainsKey(p.Name)))
            errors.Add($"{KafkaOptions.Section}:Endpoints:{projection.Name} is missing: projection '{projection.Name}' needs its Topics and Group.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
