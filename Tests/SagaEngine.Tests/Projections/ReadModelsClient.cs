using System.Net;
using System.Net.Http.Json;
using SagaEngine.Host.Api;
using SagaEngine.Host.Projections.Monitoring;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>What a user of the read-model API does: list a customer's orders, read the reports, watch the projections.</summary>
public class ReadModelsClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<(CustomerOrderPage Page, string? Lag)> CustomerOrders(string customerId, string query = "")
    {
        var response = await http.GetAsync($"/customers/{customerId}/orders{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<CustomerOrderPage>())!,
            response.Headers.TryGetValues(ConsistentReads.LagHeader, out var lag) ? lag.Single() : null);
    }

    public async Task<SalesReport> Sales(string query = "") =>
        (await http.GetFromJsonAsync<SalesReport>($"/reports/sales{query}"))!;

    public async Task<OrderStatsReport> OrderStats(string query = "") =>
        (await http.GetFromJsonAsync<OrderStatsReport>($"/reports/orders{query}"))!;

    public async Task<IReadOnlyList<ProjectionView>> Projections() =>
        (await http.GetFromJsonAsync<List<ProjectionView>>("/projections"))!;

    public async Task<ProjectionView> Projection(string name) => (await Projections()).Single(p => p.Name == name);

    /// <summary>Until every projection has applied everything on its topics and holds nothing.</summary>
    public Task<IReadOnlyList<ProjectionView>> WaitUntilCaughtUp(int seconds = Eventually.DefaultSeconds) =>
        Eventually.Get(Projections, all => all.All(p => p.LagRecords == 0 && p.HeldEvents == 0 && p.State == "live"),
            "every projection caught up", seconds);

    public async Task<RebuildStarted> Rebuild(string projection)
    {
        var response = await http.PostAsync($"/projections/{projection}/rebuild", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RebuildStarted>())!;
    }

    /// <summary>Until the rebuild that made <paramref name="version"/> has ended (swapped in, failed or interrupted).</summary>
    public Task<ProjectionView> WaitForRebuildOf(string projection, int version, int seconds = 60) =>
        Eventually.Get(() => Projection(projection), p => p.Rebuild is null && p.LastRebuild?.Version == version,
            $"the rebuild of {projection} as version {version} ends", seconds);
}
