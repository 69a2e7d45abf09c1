using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Tests.Support;

/// <summary>What a user of the HTTP API does: post orders, follow them until they end, read the services and the outbox.</summary>
public class OrdersClient(HttpClient http)
{
    public static readonly string[] TerminalStates = ["Confirmed", "Cancelled"];

    public HttpClient Http => http;

    public static string OrderJson(string sku = "SKU-1", int quantity = 2, decimal unitPrice = 12.50m, string token = "tok_ok") =>
        JsonSerializer.Serialize(new
        {
            customerId = "cust-1",
            currency = "EUR",
            items = new[] { new { sku, quantity, unitPrice } },
            paymentToken = token
        });

    public Task<HttpResponseMessage> PostJson(string json) =>
        http.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<Guid> Submit(string sku = "SKU-1", int quantity = 2, decimal unitPrice = 12.50m, string token = "tok_ok")
    {
        var response = await PostJson(OrderJson(sku, quantity, unitPrice, token));
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

    public async Task<OrderView> WaitUntilEnded(Guid orderId, int seconds = 30) =>
        (await Eventually.Get(() => Find(orderId), o => o is not null && TerminalStates.Contains(o.State),
            $"order {orderId} reaches Confirmed or Cancelled", seconds))!;

    public async Task<StockView> Stock(string sku) => (await http.GetFromJsonAsync<StockView>($"/inventory/{sku}"))!;

    public async Task<List<LedgerEntryView>> Payments(Guid orderId) =>
        (await http.GetFromJsonAsync<List<LedgerEntryView>>($"/payments?orderId={orderId}"))!;

    public async Task<OutboxStatus> Outbox() => (await http.GetFromJsonAsync<OutboxStatus>("/outbox"))!;
}
