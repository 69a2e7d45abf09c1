using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SagaEngine.Host.Api;

namespace SagaEngine.Tests.Support;

/// <summary>What a user of the HTTP API does: post orders and poll them until they end.</summary>
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

    public async Task<Guid> Submit(string json)
    {
        var response = await PostJson(json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    public async Task<OrderView> WaitUntilEnded(Guid orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await http.GetAsync($"/orders/{orderId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var order = (await response.Content.ReadFromJsonAsync<OrderView>())!;
                if (TerminalStates.Contains(order.State))
                    return order;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Order {orderId} did not end in time.");
            await Task.Delay(25);
        }
    }

    public async Task<StockView> Stock(string sku) => (await http.GetFromJsonAsync<StockView>($"/inventory/{sku}"))!;

    public async Task<List<LedgerEntryView>> Payments(Guid orderId) =>
        (await http.GetFromJsonAsync<List<LedgerEntryView>>($"/payments?orderId={orderId}"))!;
}
