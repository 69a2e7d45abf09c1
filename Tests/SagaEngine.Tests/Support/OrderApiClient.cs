using System.Net;
using System.Net.Http.Json;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Tests.Support;

/// <summary>The HTTP API as the persistence specs use it: submit orders, follow them, read the outbox status.</summary>
public class OrderApiClient(HttpClient http)
{
    public static readonly string[] TerminalStates = ["Confirmed", "Cancelled"];

    public HttpClient Http => http;

    public async Task<Guid> Submit(string sku = "SKU-1", int quantity = 2, decimal unitPrice = 12.50m, string token = "tok_ok")
    {
        var response = await http.PostAsJsonAsync("/orders", new
        {
            customerId = "cust-1",
            currency = "EUR",
            items = new[] { new { sku, quantity, unitPrice } },
            paymentToken = token
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    public async Task<OrderView?> Find(Guid orderId)
    {
        var response = await http.GetAsync($"/orders/{orderId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<OrderView>();
    }

    public Task<OrderView?> WaitUntilEnded(Guid orderId, int seconds = 30) =>
        Eventually.Get(() => Find(orderId), o => o is not null && TerminalStates.Contains(o.State),
            $"order {orderId} reaches Confirmed or Cancelled", seconds);

    public async Task<StockView> Stock(string sku) => (await http.GetFromJsonAsync<StockView>($"/inventory/{sku}"))!;

    public async Task<OutboxStatus> Outbox() => (await http.GetFromJsonAsync<OutboxStatus>("/outbox"))!;
}
