using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Api;

/// <summary>What the POST of one order came to: the order id when accepted, and how long the request took.</summary>
public sealed record SubmitOutcome(Guid? OrderId, int? StatusCode, TimeSpan Elapsed, string? Error)
{
    public bool Accepted => OrderId is not null;
}

/// <summary>The host's public HTTP API, as far as the benchmark uses it. Nothing here knows how the host works inside.</summary>
public sealed class SagaEngineClient(HttpClient http)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new UtcDateTimeConverter() } };

    record OrderRequest(string CustomerId, string Currency, IReadOnlyList<PlannedLine> Items, string PaymentToken);

    public async Task<SubmitOutcome> SubmitAsync(PlannedOrder order, CancellationToken cancellationToken)
    {
        var body = new OrderRequest(order.CustomerId, order.Currency, order.Lines, order.PaymentToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsJsonAsync("/orders", body, Json, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                return new(null, (int)response.StatusCode, Stopwatch.GetElapsedTime(started), Shorten(problem));
            }
            var accepted = await response.Content.ReadFromJsonAsync<OrderAcceptedResponse>(Json, cancellationToken);
            return new(accepted?.OrderId, (int)response.StatusCode, Stopwatch.GetElapsedTime(started),
                accepted is null ? "202 without an order id" : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(null, null, Stopwatch.GetElapsedTime(started), e.Message);
        }
    }

    /// <summary>Null while the host does not know the order (yet, or at all).</summary>
    public async Task<ObservedOrder?> GetOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        await GetOrNullAsync<ObservedOrder>($"/orders/{orderId}", cancellationToken);

    /// <summary>The order's state once it has ended, or as it is when the wait is over; null while the host does not know it.</summary>
    public async Task<string?> WaitForOrderStateAsync(Guid orderId, TimeSpan wait, CancellationToken cancellationToken) =>
        (await GetOrNullAsync<OrderStateOnly>(
            $"/orders/{orderId}?waitForTerminal={wait.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken))?.State;

    /// <summary>Null when the host keeps no stock for the SKU.</summary>
    public Task<StockLevel?> GetStockAsync(string sku, CancellationToken cancellationToken) =>
        GetOrNullAsync<StockLevel>($"/inventory/{Uri.EscapeDataString(sku)}", cancellationToken);

    public async Task<IReadOnlyList<LedgerEntry>> GetPaymentsAsync(Guid orderId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<LedgerEntry>>($"/payments?orderId={orderId}", Json, cancellationToken) ?? [];

    /// <summary>The Prometheus text at <c>/metrics</c>, or null when the host serves none.</summary>
    public async Task<string?> GetMetricsTextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/metrics", cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not listening yet, or too busy starting to answer within the request timeout: not ready.
            return false;
        }
    }

    async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
