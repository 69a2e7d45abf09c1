using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>The database itself refuses to change or remove an event, whoever asks, and says why.</summary>
public class AppendOnly_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_refuse_updates_and_deletes_of_events_with_a_message_that_says_so(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(TallyFold.Register);
        var stream = TallyFold.NewStream();
        await host.Append(stream, 0, new Tallied(5));
        var before = await host.AllEvents();

        var update = await Assert.ThrowsAnyAsync<DbException>(() =>
            host.Query(db => db.Database.ExecuteSqlRawAsync("UPDATE events SET \"Data\" = {1} WHERE \"StreamId\" = {0}", stream, "{\"amount\":6}")));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() =>
            host.Query(db => db.Database.ExecuteSqlRawAsync("DELETE FROM events WHERE \"StreamId\" = {0}", stream)));

        Assert.Contains("events is append-only: UPDATE is not allowed", update.Message);
        Assert.Contains("events is append-only: DELETE is not allowed", delete.Message);
        Assert.Equal(before.Select(e => (e.Position, e.Data)), (await host.AllEvents()).Select(e => (e.Position, e.Data)));
    }
}
