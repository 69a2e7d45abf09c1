using MassTransit;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// An append commits with the handler's other changes and its outbox messages, or not at all; a stale
/// expected version fails the attempt as a conflict, which the retry policy runs again on a fresh read.
/// </summary>
public class Atomicity_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_handler_that_fails_after_appending_and_publishing_leaves_neither_and_its_retry_appends_once(DatabaseProvider provider)
    {
        var probe = new TallyProbe { FailFirstRunAfterPublishing = true };
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => TallyEndpoint.Register(s, probe));
        var endpoint = await TallyEndpoint.Connect(host);
        var stream = TallyFold.NewStream();
        await host.Append(stream, 0, new Tallied(1));
        var messageId = NewId.NextGuid();

        await endpoint.Send(new AddToTally(stream, 5), messageId);
        await probe.RetryHeld;

        Assert.Single(await host.Stream(stream));
        Assert.Empty(await host.Outbox(nameof(TallyAdded), stream));
        Assert.Empty(await host.Inbox(messageId));

        probe.ReleaseRetry();
        await endpoint.Log.WaitUntilFinished(messageId);

        Assert.Equal(["{\"amount\":1}", "{\"amount\":5}"], (await host.Stream(stream)).Select(e => e.Data));
        Assert.Single(await host.Outbox(nameof(TallyAdded), stream));
        Assert.Single(await host.Inbox(messageId));
        Assert.Equal(2, probe.Runs);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_stale_expected_version_is_a_conflict_that_the_retry_policy_runs_again_from_a_fresh_read(DatabaseProvider provider)
    {
        var probe = new TallyProbe { StaleFirstRead = true };
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => TallyEndpoint.Register(s, probe));
        var endpoint = await TallyEndpoint.Connect(host);
        var stream = TallyFold.NewStream();
        await host.Append(stream, 0, new Tallied(1), new Tallied(2));
        var messageId = NewId.NextGuid();

        await endpoint.Send(new AddToTally(stream, 3), messageId);
        await endpoint.Log.WaitUntilFinished(messageId);

        Assert.Equal([1L, 2L, 3L], (await host.Stream(stream)).Select(e => e.Version));
        var added = Assert.Single(await host.Outbox(nameof(TallyAdded), stream));
        Assert.Contains("\"version\":3", added.Body);
        Assert.Single(await host.Inbox(messageId));
        Assert.Equal(2, probe.Runs);
    }
}
