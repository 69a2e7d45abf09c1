using System.Net.Http.Json;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// Orders are paged newest first by creation time, then id, both in SQL. The database must order ids
/// exactly as <see cref="OrderCursor"/> does (<see cref="Guid.CompareTo(Guid)"/>), or pages would skip
/// or repeat orders created at the same instant.
/// </summary>
public class Paging_Specs
{
    // Ids whose 16 bytes, as .NET stores them, sort differently from their text and from Guid.CompareTo.
    static readonly Guid[] AwkwardIds =
    [
        Guid.Parse("00000001-0000-0000-0000-000000000000"), Guid.Parse("01000000-0000-0000-0000-000000000000"),
        Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("00000000-0000-0000-0100-000000000000"),
        Guid.Parse("00000000-0001-0000-0000-000000000000"), Guid.Parse("00000000-0100-0000-0000-000000000000"),
        Guid.Parse("80000000-0000-0000-0000-000000000000"), Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff"),
        Guid.Parse("ffffffff-ffff-ffff-ffff-fffffffffffe"), Guid.Parse("0000ffff-0000-0000-0000-000000000000"),
        Guid.Parse("abcdef01-2345-6789-abcd-ef0123456789"), Guid.Parse("ABCDEF01-2345-6789-ABCD-EF0123456788")
    ];

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Pages_hold_every_order_once_in_the_cursor_s_order(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var client = host.CreateClient();
        // Most created at one instant, a few a microsecond (what both databases keep) either side.
        var instant = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1230);
        var seeded = AwkwardIds.Select((id, i) => (Id: id, CreatedAt: instant.AddTicks(i % 5 == 0 ? 10 : i % 7 == 0 ? -10 : 0))).ToList();
        foreach (var (id, createdAt) in seeded)
            await host.Seed(id, "Cancelled", createdAt);

        var read = new List<OrderSummary>();
        string? next = null;
        do
        {
            var page = (await client.GetFromJsonAsync<OrderPage>($"/orders?state=Cancelled&limit=3{(next is null ? "" : $"&after={next}")}"))!;
            read.AddRange(page.Items);
            next = page.Next;
        } while (next is not null);

        var expected = seeded.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Select(o => o.Id);
        Assert.Equal(expected, read.Select(o => o.OrderId));
        for (var i = 1; i < read.Count; i++)
            Assert.True(new OrderCursor(read[i - 1].CreatedAt, read[i - 1].OrderId).Precedes(read[i].CreatedAt, read[i].OrderId));
        Assert.All(read, o => Assert.Equal(DateTimeKind.Utc, o.CreatedAt.Kind));
    }
}
