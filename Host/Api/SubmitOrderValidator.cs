using System.Text.RegularExpressions;

namespace SagaEngine.Host.Api;

/// <summary>The intake rules for an order; every broken rule is reported under its field's JSON path.</summary>
public static partial class SubmitOrderValidator
{
    public const int MaxItems = 50;
    public const int MaxQuantity = 1000;
    public const decimal MaxUnitPrice = 1_000_000m;

    /// <summary>1-64 letters, digits, '-' or '_', as an order's customer id must be.</summary>
    public static bool IsCustomerId(string? value) => value is not null && CustomerIdPattern().IsMatch(value);

    public static Dictionary<string, string[]> Validate(SubmitOrderRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = [];
            list.Add(message);
        }

        if (request.CustomerId is null || !CustomerIdPattern().IsMatch(request.CustomerId))
            Fail("customerId", "Required: 1-64 letters, digits, '-' or '_'.");
        if (request.Currency is null || !CurrencyPattern().IsMatch(request.Currency))
            Fail("currency", "Required: a 3-letter upper-case currency code such as EUR.");
        if (string.IsNullOrEmpty(request.PaymentToken) || request.PaymentToken.Length > 64)
            Fail("paymentToken", "Required: 1-64 characters.");

        if (request.Items is null || request.Items.Count is 0 or > MaxItems)
            Fail("items", $"Required: 1-{MaxItems} items.");
        else
            for (var i = 0; i < request.Items.Count; i++)
                ValidateItem(request.Items[i], $"items[{i}]", Fail);

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    static void ValidateItem(SubmitOrderItem? item, string path, Action<string, string> fail)
    {
        if (item is null)
        {
            fail(path, "Required: an object with sku, quantity and unitPrice.");
            return;
        }
        if (item.Sku is null || !SkuPattern().IsMatch(item.Sku))
            fail($"{path}.sku", "Required: 1-64 upper-case letters, digits or '-'.");
        if (item.Quantity is null or < 1 or > MaxQuantity)
            fail($"{path}.quantity", $"Required: a whole number from 1 to {MaxQuantity}.");
        if (item.UnitPrice is not { } price || price <= 0 || price > MaxUnitPrice)
            fail($"{path}.unitPrice", $"Required: more than 0 and at most {MaxUnitPrice:0}.");
        else if (decimal.Round(price, 2) != price)
            fail($"{path}.unitPrice", "At most 2 decimal places.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex CustomerIdPattern();

    [GeneratedRegex(@"^[A-Z]{3}\z")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex(@"^[A-Z0-9-]{1,64}\z")]
    private static partial Regex SkuPattern();
}
