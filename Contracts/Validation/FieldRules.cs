using System.Text.RegularExpressions;

namespace SagaEngine.Contracts.Validation;

/// <summary>
/// The rules a field of an order, a command or an event keeps, wherever it arrives: the HTTP API checks
/// an order's body with them and every consumer checks each message with them (see <see cref="ContractRules"/>).
/// A missing value (null) breaks every rule.
/// </summary>
public static partial class FieldRules
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 1000;
    public const decimal MaxUnitPrice = 1_000_000m;

    /// <summary>The most an order can come to: every line at its largest.</summary>
    public const decimal MaxAmount = MaxLines * MaxQuantity * MaxUnitPrice;

    public const int MaxPaymentTokenLength = 64;

    /// <summary>As long as an operator key's name may be.</summary>
    public const int MaxOperatorLength = 64;

    public const int MaxNoteLength = 500;

    /// <summary>An id; <see cref="Guid.Empty"/> is no id.</summary>
    public static readonly FieldRule<Guid?> Id = new(v => v is { } id && id != Guid.Empty
        ? null
        : "Required: an id other than 00000000-0000-0000-0000-000000000000.");

    public static readonly FieldRule<string?> CustomerId = new(v => v is not null && CustomerIdPattern().IsMatch(v)
        ? null
        : "Required: 1-64 letters, digits, '-' or '_'.");

    public static readonly FieldRule<string?> Currency = new(v => v is not null && CurrencyPattern().IsMatch(v)
        ? null
        : "Required: a 3-letter upper-case currency code such as EUR.");

    public static readonly FieldRule<string?> PaymentToken = new(v => !string.IsNullOrEmpty(v) && v.Length <= MaxPaymentTokenLength
        ? null
        : $"Required: 1-{MaxPaymentTokenLength} characters.");

    /// <summary>Who acted: an operator key's name.</summary>
    public static readonly FieldRule<string?> Operator = new(v => !string.IsNullOrWhiteSpace(v) && v.Length <= MaxOperatorLength
        ? null
        : $"Required: 1-{MaxOperatorLength} characters, the operator's name.");

    /// <summary>What an operator noted about an action: something to read, not blank.</summary>
    public static readonly FieldRule<string?> Note = new(v => !string.IsNullOrWhiteSpace(v) && v.Length <= MaxNoteLength
        ? null
        : $"Required: 1-{MaxNoteLength} characters saying what was done.");

    /// <summary>How many lines an order has (null: no list at all).</summary>
    public static readonly FieldRule<int?> LineCount = new(v => v is >= 1 and <= MaxLines ? null : $"Required: 1-{MaxLines} items.");

    public static readonly FieldRule<string?> Sku = new(v => v is not null && SkuPattern().IsMatch(v)
        ? null
        : "Required: 1-64 upper-case letters, digits or '-'.");

    public static readonly FieldRule<int?> Quantity = new(v => v is >= 1 and <= MaxQuantity
        ? null
        : $"Required: a whole number from 1 to {MaxQuantity}.");

    public static readonly FieldRule<decimal?> UnitPrice = Money(MaxUnitPrice);

    /// <summary>A total, a charge or a refund.</summary>
    public static readonly FieldRule<decimal?> Amount = Money(MaxAmount);

    /// <summary>A point in time that was set (not <see cref="DateTime.MinValue"/>, which an absent JSON field becomes).</summary>
    public static readonly FieldRule<DateTime?> Timestamp = new(v => v is { } at && at != default ? null : "Required: a date and time.");

    /// <summary>A message's place among its order's messages: 1, 2, 3, …</summary>
    public static readonly FieldRule<int?> Sequence = new(v => v is >= 1 ? null : "Required: a sequence number from 1.");

    /// <summary>
    /// A field a message may leave out (one added in a later version of it, null in older records): when
    /// present it keeps <paramref name="rule"/>.
    /// </summary>
    public static FieldRule<T> Optional<T>(FieldRule<T> rule) => new(v => v is null ? null : rule.Check(v));

    /// <summary>A value from a closed set, such as a failure reason code.</summary>
    public static FieldRule<string?> OneOf(params IReadOnlyCollection<string> allowed) => new(v => v is not null && allowed.Contains(v)
        ? null
        : $"Required: one of {string.Join(", ", allowed)}.");

    static FieldRule<decimal?> Money(decimal max) => new(v =>
        v is not { } amount || amount <= 0 || amount > max ? $"Required: more than 0 and at most {max:0}."
        : decimal.Round(amount, 2) != amount ? "At most 2 decimal places."
        : null);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex CustomerIdPattern();

    [GeneratedRegex(@"^[A-Z]{3}\z")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex(@"^[A-Z0-9-]{1,64}\z")]
    private static partial Regex SkuPattern();
}
